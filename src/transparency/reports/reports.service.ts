import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { CyclesService } from '../../cycles/cycles.service.js';
import { localDate } from '../../cycles/schedule.js';
import { TransactionHost } from '../../database/transaction-host.js';
import { PayoutsService } from '../../payouts/payouts.service.js';
import { CoverageService } from '../../pledges/coverage.service.js';
import { EXIT_REASONS, type ExitReason } from '../../roster/recipient-status.js';
import { RosterService } from '../../roster/roster.service.js';
import { toCycleReportResponse, type CycleReportResponse } from './dto/cycle-report.response.js';
import { seesExactCounts } from './small-counts.js';

/**
 * A cycle's report: the coverage figures week by week (the pledges module's, so the two
 * never disagree), with outcomes counted by the modules that own them. Every figure is an
 * aggregate: no recipient id, alias or donor leaves the services it comes from in a report.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly cycles: CyclesService,
    private readonly coverage: CoverageService,
    private readonly payouts: PayoutsService,
    private readonly roster: RosterService,
  ) {}

  /**
   * Members read the report; with `receiptVisibility: "public"` anyone does (userId
   * undefined when anonymous). Counts below 3 are suppressed for all but organizers.
   */
  async cycleReport(userId: string | undefined, circleId: string, cycleId: string, now: Date = new Date()): Promise<CycleReportResponse> {
    const reader = await this.access.requireReader(circleId, userId);
    const cycle = await this.cycles.find(this.tx.manager, circleId, cycleId);
    const coverage = await this.coverage.coverageOf(reader, cycle.id, now);
    const donorsByWeek = await this.coverage.donorsByWeek(circleId, coverage.weeks.map((w) => w.payoutDate));
    const totals = await this.payouts.cycleTotals(circleId, cycle.id);
    const waitsMs = await this.roster.waitsBeforeFirstSlot(circleId, totals.recipientIds);
    // Exits count while the cycle runs: from its activation until it closes (or now).
    const until = cycle.closedAt ?? now;
    const exits = cycle.activatedAt && cycle.activatedAt < until ? await this.roster.exitCounts(circleId, cycle.activatedAt, until) : noExits();
    return toCycleReportResponse(
      {
        circleId,
        currency: reader.currency,
        cycle: { id: cycle.id, status: cycle.status, startsOn: cycle.startsOn, amount: BigInt(cycle.amount), slots: cycle.slots },
        asOf: now,
        today: localDate(now, reader.timezone),
        coverage,
        donorsByWeek,
        payouts: { sent: totals.sent, acknowledged: totals.acknowledged, recipientsPaid: totals.recipientIds.length },
        exits,
        waitsMs,
      },
      seesExactCounts(reader.role),
    );
  }
}

function noExits(): Record<ExitReason, number> {
  return Object.fromEntries(EXIT_REASONS.map((r) => [r, 0])) as Record<ExitReason, number>;
}
