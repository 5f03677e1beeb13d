import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { AppConfig } from './app-config.js';

/** ConfigService typed by {@link AppConfig}: `config.get('dynamo', { infer: true })`. */
export type AppConfigService = ConfigService<AppConfig, true>;

/**
 * Serves an already validated {@link AppConfig} through @nestjs/config. Validation happens before the
 * app is assembled (loadConfig), so a bad variable stops start-up with one line and no Nest stack trace.
 */
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => config],
        }),
      ],
    };
  }
}
