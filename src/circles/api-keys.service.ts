import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { API_KEY_PREFIX, ApiKeyCheck } from '../auth/api-key-check.js';
import type { AuthUser } from '../auth/auth-user.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { PgThrottlerStorage } from '../common/rate-limit/pg-throttler-storage.js';
import { countOrRefuse } from '../common/rate-limit/rate-limit.guard.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TransactionHost } from '../database/transaction-host.js';
import { ApiKey } from './api-key.entity.js';
import { MEMBERSHIP_EXCLUSIVE } from './circle-access-prefetch.js';
import { CircleAccess } from './circle-access.service.js';
import { toApiKeyResponse, type ApiKeyResponse, type CreatedApiKeyResponse } from './dto/api-key.response.js';
import type { CreateApiKeyDto } from './dto/create-api-key.dto.js';

const KEY_SHAPE = /^arvk_[A-Za-z0-9_-]{43}$/;
const sha256 = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * API keys: circle-scoped credentials for bots and integrations, created by organizers. A key
 * is checked on every request (so a revocation takes effect at once), marks its last use, and
 * is rate-limited on its own. What a key may do is decided by CircleAccess like a member's
 * role, in its own circle only.
 */
@Injectable()
export class ApiKeysService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly check: ApiKeyCheck,
    private readonly limits: PgThrottlerStorage,
  ) {}

  onModuleInit(): void {
    this.check.verifyWith((key, circleId) => this.authenticate(key, circleId));
  }

  async create(userId: string, circleId: string, dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    await this.access.require(circleId, userId);
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = this.tx.manager.create(ApiKey, { id: randomUUID(), circleId, name: dto.name, role: dto.role, prefix: key.slice(0, 12), secretHash: sha256(key), createdBy: userId, lastUsedAt: null, revokedAt: null });
    await this.tx.manager.insert(ApiKey, row);
    return { ...toApiKeyResponse(await this.tx.manager.findOneByOrFail(ApiKey, { id: row.id })), key };
  }

  async list(userId: string, circleId: string, limit: number, cursor?: string): Promise<Page<ApiKeyResponse>> {
    await this.access.require(circleId, userId);
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager.createQueryBuilder(ApiKey, 'k').where('k.circle_id = :circleId', { circleId }).orderBy('k.created_at', 'ASC').addOrderBy('k.id', 'ASC').limit(limit + 1);
    if (after) qb.andWhere('(k.created_at, k.id) > (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    return toPage(await qb.getMany(), limit, (k) => [k.createdAt.toISOString(), k.id], toApiKeyResponse);
  }

  /** Revokes at once: the next request with the key is refused. Revoking twice changes nothing. */
  async revoke(userId: string, circleId: string, keyId: string): Promise<void> {
    await this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const key = await manager.findOneBy(ApiKey, { id: keyId, circleId });
      if (!key) throw DomainError.notFound('API key');
      // The key's requests in flight finish first; later ones find it revoked.
      await manager.query(MEMBERSHIP_EXCLUSIVE, [circleId, keyId]);
      await manager.query('UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [keyId]);
    });
  }

  /**
   * The principal of a live key, or null. The circle of the request is not checked here:
   * CircleAccess gives a key no role outside its own circle, so another circle is a 404.
   */
  async authenticate(key: string, _circleId: string): Promise<AuthUser | null> {
    if (!KEY_SHAPE.test(key)) return null;
    const [rows]: [{ id: string; circle_id: string; role: string }[], number] = await this.tx.manager.query(
      `UPDATE api_keys SET last_used_at = now() WHERE secret_hash = $1 AND revoked_at IS NULL RETURNING id, circle_id, role`,
      [sha256(key)],
    );
    const found = rows[0];
    if (!found) return null;
    const counter = createHash('sha256').update(`api-key-${found.id}`).digest('hex');
    await countOrRefuse(this.limits, counter, 60_000, this.config.apiKeyLimitPerMinute, 60_000, 'api-key', 'Too many requests with this API key.');
    return { id: found.id, sessionId: found.id, apiKey: { circleId: found.circle_id, role: found.role } };
  }
}
