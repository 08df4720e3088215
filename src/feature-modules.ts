// The domain modules, bottom layer first (DESIGN.md: dependencies point one way).
import type { Type } from '@nestjs/common';

export const FEATURE_MODULES: Type[] = [];
