import type { Static } from 'typebox';
import { regionName, regionPath } from '@tracemark/core';
import type { EnterpriseFigures, EnterpriseRow } from '@tracemark/db';
import type { SupervisedEnterprise } from './schemas.js';

/** One enterprise as a supervisor sees it in a list. */
export function presentSupervised(
  enterprise: EnterpriseRow,
  figures: EnterpriseFigures,
): Static<typeof SupervisedEnterprise> {
  return {
    id: enterprise.id,
    name: enterprise.name,
    uscc: enterprise.uscc,
    regionCode: enterprise.region_code,
    regionNames: (regionPath(enterprise.region_code) ?? []).map((c) => regionName(c) ?? c),
    status: enterprise.status,
    figures: { ...figures },
  };
}
