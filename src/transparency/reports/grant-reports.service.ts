import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { CyclesService } from '../../cycles/cycles.service.js';
import { addDays, startOfLocalDay } from '../../cycles/schedule.js';
import { TransactionHost } from '../../database/transaction-host.js';
import { RequestsService } from '../../requests/requests.service.js';
import { toGrantReportResponse, type GrantReportResponse } from './dto/grant-report.response.js';
import { grantReport } from './grant-report.js';
import { seesExactCounts } from './small-counts.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The requests-and-grants report per calendar month and per cycle, from the requests module's figures. */
@Injectable()
export class GrantReportsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly cycles: CyclesService,
    private readonly requests: RequestsService,
  ) {}

  /** Requests opened in a calendar month (YYYY-MM) of the circle's time zone. Readers as for the cycle report. */
  async month(userId: string | undefined, circleId: string, month: string): Promise<GrantReportResponse> {
    const reader = await this.access.requireReader(circleId, userId);
    const match = MONTH.exec(month);
    if (!match) throw new DomainError('validation-failed', 'month must be YYYY-MM', { errors: [{ field: 'month', message: 'month must be YYYY-MM' }] });
    const next = Number(match[2]) === 12 ? `${Number(match[1]) + 1}-01-01` : `${match[1]}-${String(Number(match[2]) + 1).padStart(2, '0')}-01`;
    const from = startOfLocalDay(`${month}-01`, reader.timezone);
    const to = startOfLocalDay(next, reader.timezone);
    return this.build(circleId, reader.currency, reader.role, from, to, 'month');
  }

  /** Requests opened during a cycle's weeks (its start date to the day after its last week). */
  async cycle(userId: string | undefined, circleId: string, cycleId: string): Promise<GrantReportResponse> {
    const reader = await this.access.requireReader(circleId, userId);
    const cycle = await this.cycles.find(this.tx.manager, circleId, cycleId);
    const from = startOfLocalDay(cycle.startsOn, reader.timezone);
    const to = startOfLocalDay(addDays(cycle.startsOn, cycle.weeks * 7), reader.timezone);
    return this.build(circleId, reader.currency, reader.role, from, to, 'cycle');
  }

  private async build(circleId: string, currency: string, role: string | null, from: Date, to: Date, period: 'month' | 'cycle'): Promise<GrantReportResponse> {
    const exact = seesExactCounts(role);
    const figures = await this.requests.figuresOpenedIn(circleId, from, to);
    return toGrantReportResponse({ circleId, currency, from: from.toISOString(), to: to.toISOString(), period, smallCountsSuppressed: !exact }, grantReport(figures, exact));
  }
}
