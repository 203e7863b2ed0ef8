import type { FileRow, ProductRow } from '@tracemark/db';

/** A product on the wire. */
export function presentProduct(p: ProductRow, imageFileIds: readonly string[]) {
  return {
    id: p.id,
    name: p.name,
    brand: p.brand,
    category: p.category,
    specification: p.specification,
    gtin: p.gtin,
    executedStandard: p.executed_standard,
    shelfLifeDays: p.shelf_life_days,
    description: p.description,
    shopUrl: p.shop_url,
    imageFileIds: [...imageFileIds],
    status: p.status,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

/** A file's metadata on the wire. */
export function presentFile(f: FileRow) {
  return { id: f.id, mediaType: f.media_type, size: f.size, name: f.original_name, sha256: f.sha256 };
}
