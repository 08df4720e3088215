import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options.js';
import { LongReads, type LongReadSettings } from './long-reads.js';
import { TransactionHost } from './transaction-host.js';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(url: string, poolSize: number | undefined, longReads: LongReadSettings): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url, poolSize) })],
      providers: [TransactionHost, { provide: LongReads, useFactory: () => new LongReads(url, longReads) }],
      exports: [TransactionHost, LongReads],
    };
  }
}
