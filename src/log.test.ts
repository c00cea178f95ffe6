import { describe, expect, it } from 'vitest';

import { Logger, type LogFormat, type LogLevel } from './log.js';
import { Redactor } from './redact/index.js';

const VALUE = 'log-test-secret-value-31c7';

function logger(level: LogLevel, format: LogFormat) {
  const written: string[] = [];
  const redactor = new Redactor();
  redactor.add([{ id: 'TOKEN', value: Buffer.from(VALUE) }]);
  const log = new Logger({ level, format, redactor, sink: { write: (t) => written.push(t) } });
  return { log, text: () => written.join('') };
}

describe('Logger', () => {
  it('prefixes every line of a multi-line text message', () => {
    const { log, text } = logger('info', 'text');

    log.error('first problem\nsecond problem');
    log.info('note one\nnote two');

    expect(text()).toBe(
      'ona-build: error: first problem\nona-build: error: second problem\n' +
        'ona-build: note one\nona-build: note two\n',
    );
  });

  it('writes one JSON object per message, the newlines kept inside it', () => {
    const { log, text } = logger('info', 'json');

    log.warn('a\nb', { id: 'x' });

    const entry = JSON.parse(text()) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'warn', message: 'a\nb', id: 'x' });
  });

  it('masks values in messages and fields, in both formats', () => {
    for (const format of ['text', 'json'] as const) {
      const { log, text } = logger('debug', format);

      log.debug(`saw ${VALUE}`, { where: VALUE });

      expect(text()).not.toContain(VALUE);
      expect(text()).toContain('***');
    }
  });

  it('drops messages below its level', () => {
    const { log, text } = logger('warn', 'text');

    log.info('hidden');
    log.debug('hidden');

    expect(text()).toBe('');
  });
});
