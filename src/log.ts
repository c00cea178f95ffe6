// A small logger: levels, text or JSON lines, stderr only (stdout carries the command's result).
// Every line passes through the redactor in the sink, so no call site can forget to mask.

import type { Redactor } from './redact/index.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'text' | 'json';

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly redactor: Redactor;
  readonly sink: { write(text: string): unknown };
}

export class Logger {
  private readonly threshold: number;

  constructor(private readonly options: LoggerOptions) {
    this.threshold = LOG_LEVELS.indexOf(options.level);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.log('error', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.log('warn', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.log('info', message, fields);
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.log('debug', message, fields);
  }

  isEnabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= this.threshold;
  }

  private log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (!this.isEnabled(level)) return;

    const line =
      this.options.format === 'json'
        ? JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })
        : textLine(level, `${message}${formatFields(fields)}`);
    this.options.sink.write(`${this.options.redactor.redact(line)}\n`);
  }
}

/** Every line of a message gets the prefix, so each says where it comes from and how bad it is. */
function textLine(level: LogLevel, text: string): string {
  const prefix = `ona-build: ${level === 'info' ? '' : `${level}: `}`;
  return prefix + text.replaceAll('\n', `\n${prefix}`);
}

function formatFields(fields: Record<string, unknown> | undefined): string {
  if (!fields || Object.keys(fields).length === 0) return '';
  return ` ${Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ')}`;
}
