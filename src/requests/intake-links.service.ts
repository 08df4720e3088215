import { Inject, Injectable } from '@nestjs/common';
import { IdempotencyStore, replayBody, runIdempotently } from '../common/idempotency/idempotency-store.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { VaultCipher } from '../privacy/vault-cipher.js';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { CircleFactsService } from '../circles/circle-facts.service.js';
import { currencyExponent } from '../circles/currency.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { ACKNOWLEDGEMENT_TOKEN as LINK_TOKEN, hashAcknowledgementToken as hashLinkToken, newAcknowledgementToken as newLinkToken } from '../payouts/acknowledgement-token.js';
import type { CreateIntakeLinkDto } from './dto/create-intake-link.dto.js';
import type { CreateRequestDto } from './dto/create-request.dto.js';
import type { IntakeFormResponse, IntakeLinkCreatedResponse, IntakeLinkResponse, IntakeSubmittedResponse } from './dto/links.response.js';
import { IntakeLink } from './intake-link.entity.js';
import { PERSON_LINK_PATH, PersonLinks } from './person-links.service.js';
import { RequestSettingsService } from './request-settings.service.js';
import { GRANT_CATEGORIES, REQUEST_KINDS } from './request-status.js';
import { RequestsService } from './requests.service.js';
import { GrantRequest } from './request.entity.js';

export const INTAKE_PATH = '/v1/intake';

/** What a sealed status token kept for an intake replay is bound to (VaultCipher.sealSecret). */
const REPLAY_PURPOSE = 'intake-replay';

/**
 * A circle's intake links: organizers create, rotate and close them; a neighbour with no
 * account asks for help through one and gets their private status link back. Only the token's
 * SHA-256 is stored. A closed, rotated-away or unknown link answers the same 404.
 */
@Injectable()
export class IntakeLinks {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly circles: CircleFactsService,
    private readonly settings: RequestSettingsService,
    private readonly requests: RequestsService,
    private readonly personLinks: PersonLinks,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cipher = new VaultCipher(config.masterKey);
  }

  private readonly cipher: VaultCipher;

  async create(userId: string, circleId: string, dto: CreateIntakeLinkDto): Promise<IntakeLinkCreatedResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const token = newLinkToken();
      const id = randomUUID();
      await manager.insert(IntakeLink, { id, circleId, tokenHash: hashLinkToken(token), maxOpenRequests: dto.maxOpenRequests ?? null, createdBy: userId });
      return { ...(await this.toResponse(await manager.findOneByOrFail(IntakeLink, { id }))), token, path: `${INTAKE_PATH}/${token}` };
    });
  }

  async list(userId: string, circleId: string): Promise<IntakeLinkResponse[]> {
    await this.access.require(circleId, userId);
    const links = await this.tx.manager.find(IntakeLink, { where: { circleId }, order: { createdAt: 'DESC', id: 'DESC' } });
    return Promise.all(links.map((l) => this.toResponse(l)));
  }

  /** A new secret for the same link: the old URL stops working at once; the link's requests keep their status links. */
  async rotate(userId: string, circleId: string, linkId: string): Promise<IntakeLinkCreatedResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const link = await this.find(circleId, linkId);
      if (link.closedAt) throw new DomainError('invalid-state', 'This intake link is closed; create a new one instead.', { state: 'closed' });
      const token = newLinkToken();
      await manager.update(IntakeLink, { id: linkId, circleId }, { tokenHash: hashLinkToken(token), rotatedAt: new Date() });
      return { ...(await this.toResponse(await this.find(circleId, linkId))), token, path: `${INTAKE_PATH}/${token}` };
    });
  }

  async close(userId: string, circleId: string, linkId: string): Promise<IntakeLinkResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const link = await this.find(circleId, linkId);
      if (!link.closedAt) await manager.update(IntakeLink, { id: linkId, circleId }, { closedAt: new Date() });
      return this.toResponse(await this.find(circleId, linkId));
    });
  }

  /** What the intake form needs: the circle's currency, the kinds and categories, whether files may be attached. */
  async form(token: string): Promise<IntakeFormResponse> {
    const link = await this.resolve(token);
    const facts = (await this.circles.factsOf([link.circleId])).get(link.circleId);
    if (!facts) throw DomainError.notFound('intake link');
    const rules = await this.settings.rulesOf(link.circleId);
    return { currency: facts.currency, currencyExponent: currencyExponent(facts.currency) ?? 2, kinds: [...REQUEST_KINDS], categories: [...GRANT_CATEGORIES], attachmentsEnabled: rules.attachmentsEnabled };
  }

  /**
   * A neighbour asks through the link: the request is stored with its vault fields, and the
   * answer is their status link, shown once. With an Idempotency-Key, a retry of the same
   * request through the same link gets the first answer back (docs/idempotency.md, "Intake").
   */
  async submit(token: string, dto: CreateRequestDto, idempotency?: { key: string; requestHash: string }): Promise<{ response: IntakeSubmittedResponse; replayed: boolean }> {
    return this.tx.run(async () => {
      // Locked, so concurrent requests through one link cannot overshoot its cap.
      const link = await this.resolve(token, true);
      if (!idempotency) return { response: await this.ask(link, dto), replayed: false };
      // Keys are scoped to the link: an anonymous caller has no principal of its own.
      const outcome = await runIdempotently(new IdempotencyStore(this.tx), link.id, idempotency.key, idempotency.requestHash, async () => {
        const response = await this.ask(link, dto);
        return { result: response, record: () => ({ status: 201, body: this.sealForReplay(link.id, idempotency.key, response), location: null }) };
      });
      if (!outcome.replayed) return { response: outcome.result, replayed: false };
      return { response: this.openReplay(link.id, idempotency.key, await replayBody(outcome.stored)), replayed: true };
    });
  }

  private async ask(link: IntakeLink, dto: CreateRequestDto): Promise<IntakeSubmittedResponse> {
    if (link.maxOpenRequests !== null) {
      const open = await this.openRequests(link.id);
      if (open >= link.maxOpenRequests) throw new DomainError('intake-link-full', 'This link has as many open requests as its organizers allow; please try again later.');
    }
    const facts = (await this.circles.factsOf([link.circleId])).get(link.circleId)!;
    const request = await this.requests.insert({ circleId: link.circleId, currency: facts.currency, source: 'intake', openedBy: null, intakeLinkId: link.id, dto });
    const status = await this.personLinks.issueOnIntake(link.circleId, request.id);
    return { status: request.status, statusToken: status.token, statusPath: status.path };
  }

  /**
   * The answer as kept for a replay: the status token sealed under the master key and bound to
   * (link, key), never in plain text; the path is rebuilt from it (it holds the token too).
   */
  private sealForReplay(linkId: string, key: string, response: IntakeSubmittedResponse): string {
    const sealed = this.cipher.sealSecret(REPLAY_PURPOSE, `${linkId}:${key}`, response.statusToken).toString('base64');
    return JSON.stringify({ status: response.status, sealedStatusToken: sealed });
  }

  private openReplay(linkId: string, key: string, body: string): IntakeSubmittedResponse {
    const stored = JSON.parse(body) as { status: string; sealedStatusToken: string };
    const token = this.cipher.openSecret(REPLAY_PURPOSE, `${linkId}:${key}`, Buffer.from(stored.sealedStatusToken, 'base64'));
    return { status: stored.status, statusToken: token, statusPath: `${PERSON_LINK_PATH}/${token}` };
  }

  private async resolve(token: string, lock = false): Promise<IntakeLink> {
    if (!LINK_TOKEN.test(token)) throw DomainError.notFound('intake link');
    const qb = this.tx.manager.createQueryBuilder(IntakeLink, 'l').where('l.token_hash = :hash', { hash: hashLinkToken(token) });
    if (lock) qb.setLock('pessimistic_write');
    const link = await qb.getOne();
    if (!link || link.closedAt) throw DomainError.notFound('intake link');
    return link;
  }

  private async find(circleId: string, linkId: string): Promise<IntakeLink> {
    const link = await this.tx.manager.findOneBy(IntakeLink, { id: linkId, circleId });
    if (!link) throw DomainError.notFound('intake link');
    return link;
  }

  private openRequests(linkId: string): Promise<number> {
    return this.tx.manager.count(GrantRequest, { where: [{ intakeLinkId: linkId, status: 'submitted' }, { intakeLinkId: linkId, status: 'in_review' }] });
  }

  private async toResponse(link: IntakeLink): Promise<IntakeLinkResponse> {
    return {
      id: link.id,
      maxOpenRequests: link.maxOpenRequests,
      openRequests: await this.openRequests(link.id),
      createdAt: link.createdAt.toISOString(),
      rotatedAt: link.rotatedAt?.toISOString() ?? null,
      closedAt: link.closedAt?.toISOString() ?? null,
    };
  }
}
