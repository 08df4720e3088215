// Every migration in the order it runs. TypeORM sorts by the timestamp in the class name.
export const MIGRATIONS: Function[] = [];
