import { DynamicModule, Global, Inject, Module } from '@nestjs/common';
import type { AppConfig } from './env';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Injects the typed, already validated configuration. */
export const InjectConfig = (): ParameterDecorator => Inject(APP_CONFIG);

// The config object is built once by loadConfig() (main.ts, worker.ts, or a test with its own
// overrides) and handed in, so nothing below reads process.env.
@Global()
@Module({})
export class ConfigModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
