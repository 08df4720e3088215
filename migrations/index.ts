// Every migration in the order it runs. TypeORM sorts by the timestamp in the class name.
import { AuthAndRateLimits1790000000100 } from './1790000000100-AuthAndRateLimits.js';
import { Circles1790000000200 } from './1790000000200-Circles.js';

export const MIGRATIONS: Function[] = [AuthAndRateLimits1790000000100, Circles1790000000200];
