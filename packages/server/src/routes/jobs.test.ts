import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-helpers.js';

interface Job {
  name: string;
  state: string;
  runs: number;
  lastOutcome: string | null;
  lastSummary: unknown;
  leaseOwner: string | null;
}

describe('job routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const jobs = async (role: 'admin' | 'auditor' = 'admin'): Promise<Job[]> => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/jobs', headers: bearer(t.tokens[role]) });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: Job[] }>().items;
  };

  it('lists the registered jobs, not yet run when the runner has not started', async () => {
    expect(await jobs('auditor')).toEqual([
      expect.objectContaining({ name: 'sessions.prune', state: 'idle', runs: 0, lastOutcome: null, leaseOwner: null }),
    ]);
  });

  it('runs a job now for an administrator and shows its outcome', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/sessions.prune/run',
      headers: bearer(t.tokens.admin),
    });
    expect(res.statusCode).toBe(202);
    expect(res.json<{ job: Job }>().job).toMatchObject({ name: 'sessions.prune', state: 'running' });
    await expect.poll(async () => (await jobs())[0]?.runs).toBe(1);
    expect((await jobs())[0]).toMatchObject({ state: 'idle', lastOutcome: 'ok', lastSummary: { deleted: 0 } });
  });

  it('answers 404 for a job it does not know and 403 to a security analyst', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/feeds.nothing/run',
      headers: bearer(t.tokens.admin),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'JOBS_NOT_FOUND' });
    const analyst = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/sessions.prune/run',
      headers: bearer(t.tokens['security-analyst']),
    });
    expect(analyst.statusCode).toBe(403);
  });

  it('answers 409 while the job runs elsewhere', async () => {
    const now = new Date().toISOString();
    const later = new Date(Date.now() + 60_000).toISOString();
    await t.store.jobs.claim({ name: 'sessions.prune', owner: 'other-server', now, leaseUntil: later, force: true });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/sessions.prune/run',
      headers: bearer(t.tokens.admin),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'JOBS_ALREADY_RUNNING' });
    expect((await jobs())[0]).toMatchObject({ state: 'running', leaseOwner: 'other-server' });
  });

  it('documents both operations with their access in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    const doc = res.json<{ paths: Record<string, Record<string, { 'x-ward-access'?: string }>> }>();
    expect(doc.paths['/api/v1/jobs']?.get?.['x-ward-access']).toBe('jobs:read');
    expect(doc.paths['/api/v1/jobs/{name}/run']?.post?.['x-ward-access']).toBe('jobs:write');
  });
});
