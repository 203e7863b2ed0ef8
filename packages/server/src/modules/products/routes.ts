import type { App } from '../../lib/fastify-types.js';
import { errorResponses, PageOf } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { readUpload } from '../../lib/uploads.js';
import { presentProduct } from './presenter.js';
import {
  CreateProductBody,
  FileParams,
  ListProductsQuery,
  NoFields,
  Product,
  ProductImageParams,
  ProductParams,
  UpdateProductBody,
} from './schemas.js';
import {
  addProductImage,
  createProduct,
  getProduct,
  listProducts,
  loadProduct,
  openFile,
  removeProductImage,
  setProductArchived,
  updateProduct,
  type ProductView,
} from './service.js';

const present = (v: ProductView) => presentProduct(v.product, v.images);

/** The product master of the caller's enterprise, and its files. */
export function productRoutes(app: App): void {
  const read = { permission: 'product.read' } as const;
  const write = { permission: 'product.write' } as const;
  const tags = ['products'];

  app.get(
    '/api/v1/products',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'List products (search name, brand, GTIN)',
        querystring: ListProductsQuery,
        response: { 200: PageOf(Product), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listProducts(contextOf(request), request.query);
      return { ...page, items: page.items.map(present) };
    },
  );

  app.post(
    '/api/v1/products',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Create a product',
        body: CreateProductBody,
        response: { 201: Product, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(present(await createProduct(contextOf(request), request.body))),
  );

  app.get(
    '/api/v1/products/:productId',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Read a product',
        params: ProductParams,
        response: { 200: Product, ...errorResponses },
      },
    },
    async (request) => present(await getProduct(contextOf(request), request.params.productId)),
  );

  app.patch(
    '/api/v1/products/:productId',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Edit a product',
        params: ProductParams,
        body: UpdateProductBody,
        response: { 200: Product, ...errorResponses },
      },
    },
    async (request) =>
      present(await updateProduct(contextOf(request), request.params.productId, request.body)),
  );

  app.post(
    '/api/v1/products/:productId/archive',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Archive a product',
        params: ProductParams,
        response: { 200: Product, ...errorResponses },
      },
    },
    async (request) => present(await setProductArchived(contextOf(request), request.params.productId, true)),
  );

  app.post(
    '/api/v1/products/:productId/restore',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Restore an archived product',
        params: ProductParams,
        response: { 200: Product, ...errorResponses },
      },
    },
    async (request) => present(await setProductArchived(contextOf(request), request.params.productId, false)),
  );

  app.post(
    '/api/v1/products/:productId/images',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Add a product image (multipart/form-data, the JPEG or PNG as "file")',
        consumes: ['multipart/form-data'],
        params: ProductParams,
        response: { 201: Product, ...errorResponses, 413: errorResponses['4xx'], 415: errorResponses['4xx'] },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const product = await loadProduct(ctx, request.params.productId);
      const upload = await readUpload(request, product.tenant_id, NoFields);
      return reply.code(201).send(present(await addProductImage(ctx, product.id, upload)));
    },
  );

  app.delete(
    '/api/v1/products/:productId/images/:fileId',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Remove a product image',
        params: ProductImageParams,
        response: { 200: Product, ...errorResponses },
      },
    },
    async (request) =>
      present(await removeProductImage(contextOf(request), request.params.productId, request.params.fileId)),
  );

  app.get(
    '/api/v1/files/:fileId',
    {
      config: { access: read },
      schema: {
        tags: ['files'],
        summary: "Download one of your enterprise's files (product image, inspection report)",
        params: FileParams,
        produces: ['application/pdf', 'image/jpeg', 'image/png'],
      },
    },
    async (request, reply) => {
      const { stream, file } = await openFile(contextOf(request), request.params.fileId);
      return reply
        .type(file.media_type)
        .header('content-length', String(file.size))
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.original_name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600')
        .send(stream);
    },
  );
}
