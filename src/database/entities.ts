// Every TypeORM entity, listed once so the app, the migration drift check and scripts
// load the same schema. Add a module's entities here when you add the module.
export const ENTITIES: Function[] = [];
