/** `products`: an enterprise's product master. */
export interface ProductsTable {
  tenant_id: string;
  id: string;
  name: string;
  brand: string | null;
  category: string | null;
  specification: string | null;
  /** GTIN-14 (check digit validated) or null. */
  gtin: string | null;
  executed_standard: string | null;
  shelf_life_days: number | null;
  description: string | null;
  shop_url: string | null;
  status: 'active' | 'archived';
  created_at: number;
  updated_at: number;
}

/** `product_images`: the ordered images of a product. */
export interface ProductImagesTable {
  tenant_id: string;
  product_id: string;
  file_id: string;
  position: number;
}

/** `batches`: a production lot of a product. */
export interface BatchesTable {
  tenant_id: string;
  id: string;
  product_id: string;
  lot: string;
  /** ISO dates `YYYY-MM-DD`. */
  production_date: string;
  expiry_date: string | null;
  line: string | null;
  quantity: number | null;
  inspection_file_id: string | null;
  status: 'active' | 'archived';
  created_at: number;
  updated_at: number;
}
