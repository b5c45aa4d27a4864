import { describe, expect, it } from 'vitest';
import { healthOf, type HealthFacts } from './health.js';

const NOW = '2026-12-01T12:00:00Z';
const facts = (over: Partial<HealthFacts> = {}): HealthFacts => ({
  lastReceivedAt: '2026-12-01T11:59:00Z',
  lastImportedAt: '2026-12-01T11:59:01Z',
  received24h: 100,
  imported24h: 100,
  deadLettered24h: 0,
  duplicates24h: 0,
  finished1h: 40,
  failed1h: 0,
  openDeadLetters: 0,
  retrying: 0,
  lastOutcomes: Array(10).fill(true),
  lagsMs: [100, 200, 300],
  ...over,
});

describe('healthOf', () => {
  it('is healthy with every recent record imported', () => {
    const h = healthOf(facts(), 3600, NOW);
    expect(h).toMatchObject({ status: 'healthy', errorRate1h: 0, lagMs: { p50: 200, p99: 300 } });
    expect(h).not.toHaveProperty('lastOutcomes');
  });

  it('is degraded over 5 % errors in the hour or with open dead letters', () => {
    expect(healthOf(facts({ failed1h: 3 }), 3600, NOW).status).toBe('degraded');
    expect(healthOf(facts({ failed1h: 2 }), 3600, NOW).status).toBe('healthy');
    expect(healthOf(facts({ openDeadLetters: 1 }), 3600, NOW).status).toBe('degraded');
  });

  it('is down when the last 10 failed in a row, silent past the expected interval', () => {
    expect(healthOf(facts({ lastOutcomes: Array(10).fill(false) }), 3600, NOW).status).toBe('down');
    expect(
      healthOf(facts({ lastOutcomes: [...Array(9).fill(false), true] }), 3600, NOW).status,
    ).toBe('healthy');
    expect(healthOf(facts({ lastReceivedAt: '2026-12-01T10:00:00Z' }), 3600, NOW).status).toBe(
      'silent',
    );
    expect(healthOf(facts({ lastReceivedAt: null }), null, NOW).status).toBe('healthy');
  });
});
