import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The namespace and name of the metric counting parked Stripe events (one per log line). */
export const PARKED_EVENTS_METRIC = { namespace: 'packgate', name: 'ParkedStripeEvents' };

/**
 * The JSON log line `StripeEventProcessor.park()` writes through pino:
 * `{"level":50,"context":"PaymentsLedger","msg":"event evt_… (type) parked, not applied: …"}`.
 */
export const PARKED_EVENT_PATTERN = FilterPattern.all(
  FilterPattern.stringValue('$.context', '=', 'PaymentsLedger'),
  FilterPattern.stringValue('$.msg', '=', '*parked, not applied*'),
);

export interface PackgateAlarmsProps {
  api: IHttpApi;
  handler: IFunction;
  logGroup: ILogGroup;
  tables: Record<string, ITable>;
  topic: ITopic;
}

const FIVE_MINUTES = Duration.minutes(5);

/** What an operator must hear about: 5xx answers, handler errors, throttled tables, parked money events. */
export class PackgateAlarms extends Construct {
  constructor(scope: Construct, id: string, props: PackgateAlarmsProps) {
    super(scope, id);
    const notify = new SnsAction(props.topic);
    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string) =>
      new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(notify);

    // A few 503s are the contract for transient DynamoDB failures (the caller retries); a run of them is not.
    alarm(
      'Api5xx',
      props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      5,
      'The HTTP API answered 5xx at least 5 times in 5 minutes.',
    );
    alarm(
      'HandlerErrors',
      props.handler.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      1,
      'The Lambda handler failed (crash, timeout or a failed cold start).',
    );
    for (const [name, table] of Object.entries(props.tables)) {
      const throttled = new MathExpression({
        expression: 'reads + writes',
        usingMetrics: {
          reads: table.metric('ReadThrottleEvents', { statistic: 'Sum' }),
          writes: table.metric('WriteThrottleEvents', { statistic: 'Sum' }),
        },
        period: FIVE_MINUTES,
        label: `${name} throttle events`,
      });
      alarm(`${name}Throttled`, throttled, 1, `DynamoDB throttled requests on the ${name} table.`);
    }

    const parked = new MetricFilter(this, 'ParkedEvents', {
      logGroup: props.logGroup,
      filterPattern: PARKED_EVENT_PATTERN,
      metricNamespace: PARKED_EVENTS_METRIC.namespace,
      metricName: PARKED_EVENTS_METRIC.name,
      metricValue: '1',
    });
    alarm(
      'ParkedStripeEvents',
      parked.metric({ period: FIVE_MINUTES, statistic: 'Sum' }),
      1,
      'A verified Stripe event was parked, not applied: see GET /admin/payments/unapplied.',
    );
  }
}
