import { readFileSync } from 'node:fs';
import { UsageError } from '../common/usage-error.ts';
import { defaultPrices, type PriceTable, pricesWith } from '../plan/prices.ts';

/** The default prices, or a JSON file's values over them (`--prices FILE`); a usage error names the problem. */
export function loadPrices(file: string | undefined): PriceTable {
  if (!file) return defaultPrices;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`prices file ${file} is not readable JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = pricesWith(raw);
  if ('problem' in result) throw new UsageError(`prices file ${file}: ${result.problem}`);
  return result.prices;
}
