import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../circles/circle-access.service.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { RequestSettingsDto, RequestSettingsResponse } from './dto/request-settings.dto.js';
import { RequestSettings } from './request-settings.entity.js';
import { UNDECIDED_RETENTION_DAYS } from './request-status.js';

export interface RequestRules {
  grantBudgetMonthly: bigint | null;
  twoPersonThreshold: bigint | null;
  attachmentsEnabled: boolean;
  undecidedRetentionDays: number;
}

const DEFAULTS: RequestRules = { grantBudgetMonthly: null, twoPersonThreshold: null, attachmentsEnabled: false, undecidedRetentionDays: UNDECIDED_RETENTION_DAYS.default };

/** A circle's grant budget, two-person threshold, attachment switch and retention of undecided requests. */
@Injectable()
export class RequestSettingsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
  ) {}

  /** Any member may read the rules their circle's grants follow. */
  async get(userId: string, circleId: string): Promise<RequestSettingsResponse> {
    await this.access.require(circleId, userId);
    return toResponse(await this.rulesOf(circleId));
  }

  async put(userId: string, circleId: string, dto: RequestSettingsDto): Promise<RequestSettingsResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      await manager.upsert(
        RequestSettings,
        {
          circleId,
          grantBudgetMonthly: dto.grantBudgetMonthly === null ? null : String(dto.grantBudgetMonthly),
          twoPersonThreshold: dto.twoPersonThreshold === null ? null : String(dto.twoPersonThreshold),
          attachmentsEnabled: dto.attachmentsEnabled,
          undecidedRetentionDays: dto.undecidedRetentionDays ?? (await this.rulesOf(circleId)).undecidedRetentionDays,
        },
        ['circleId'],
      );
      return toResponse(await this.rulesOf(circleId));
    });
  }

  /** The rules, without an access check (callers have checked). */
  async rulesOf(circleId: string): Promise<RequestRules> {
    const row = await this.tx.manager.findOneBy(RequestSettings, { circleId });
    if (!row) return DEFAULTS;
    return {
      grantBudgetMonthly: row.grantBudgetMonthly === null ? null : BigInt(row.grantBudgetMonthly),
      twoPersonThreshold: row.twoPersonThreshold === null ? null : BigInt(row.twoPersonThreshold),
      attachmentsEnabled: row.attachmentsEnabled,
      undecidedRetentionDays: row.undecidedRetentionDays,
    };
  }
}

function toResponse(rules: RequestRules): RequestSettingsResponse {
  return {
    grantBudgetMonthly: rules.grantBudgetMonthly === null ? null : Number(rules.grantBudgetMonthly),
    twoPersonThreshold: rules.twoPersonThreshold === null ? null : Number(rules.twoPersonThreshold),
    attachmentsEnabled: rules.attachmentsEnabled,
    undecidedRetentionDays: rules.undecidedRetentionDays,
  };
}
