import type { Static } from 'typebox';
import { regionName, regionPath } from '@tracemark/core';
import type { EnterpriseFigures, EnterpriseRow, ProductFigures, ProductRow } from '@tracemark/db';
import type { SupervisedEnterprise, SupervisedProduct } from './schemas.js';

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

/** One product of a supervised enterprise. */
export function presentSupervisedProduct(
  product: ProductRow,
  figures: ProductFigures,
): Static<typeof SupervisedProduct> {
  return {
    id: product.id,
    name: product.name,
    brand: product.brand,
    gtin: product.gtin,
    category: product.category,
    specification: product.specification,
    status: product.status,
    createdAt: product.created_at,
    figures: { ...figures },
  };
}
