import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

export interface SchemaDiff {
  up: string[];
  down: string[];
}

/** What TypeORM would change to make the migrated database match the entities. Empty = no drift. */
export async function schemaDiff(url: string): Promise<SchemaDiff> {
  const dataSource = new DataSource(dataSourceOptions(url, 2));
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return {
      up: sql.upQueries.map((q) => q.query),
      down: sql.downQueries.map((q) => q.query).reverse(),
    };
  } finally {
    await dataSource.destroy();
  }
}
