import { Inject } from '@nestjs/common';

/** The DynamoDBDocumentClient every repository uses. */
export const DYNAMO = Symbol('DYNAMO');
export const InjectDynamo = () => Inject(DYNAMO);
