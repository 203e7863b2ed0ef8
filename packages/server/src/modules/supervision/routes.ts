import type { App } from '../../lib/fastify-types.js';
import { errorResponses, PageOf } from '../../lib/schemas.js';
import { EnterpriseParams } from '../enterprises/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { presentSupervised, presentSupervisedProduct } from './presenter.js';
import {
  Overview,
  OverviewQuery,
  SupervisedEnterprise,
  SupervisedEnterprisesQuery,
  SupervisedProduct,
  SupervisedProductsQuery,
} from './schemas.js';
import { listSupervisedEnterprises, listSupervisedProducts, supervisionOverview } from './service.js';

/** Figures for regulators (their jurisdiction) and the platform operator (everything). */
export function supervisionRoutes(app: App): void {
  const access = { permission: 'supervision.read' } as const;
  const tags = ['supervision'];

  app.get(
    '/api/v1/supervision/overview',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Totals over the enterprises of your jurisdiction (regulators) or the platform (operators)',
        querystring: OverviewQuery,
        response: { 200: Overview, ...errorResponses },
      },
    },
    async (request) => supervisionOverview(contextOf(request), request.query.days ?? 30),
  );

  app.get(
    '/api/v1/supervision/enterprises',
    {
      config: { access },
      schema: {
        tags,
        summary:
          'Enterprises of your scope with products, codes, consumer queries, warnings and open reports',
        querystring: SupervisedEnterprisesQuery,
        response: { 200: PageOf(SupervisedEnterprise), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listSupervisedEnterprises(contextOf(request), request.query);
      return { ...page, items: page.items.map((i) => presentSupervised(i.enterprise, i.figures)) };
    },
  );

  app.get(
    '/api/v1/supervision/enterprises/:enterpriseId/products',
    {
      config: { access },
      schema: {
        tags,
        summary:
          'Products of one enterprise of your scope with batches, activated codes and consumer queries',
        params: EnterpriseParams,
        querystring: SupervisedProductsQuery,
        response: { 200: PageOf(SupervisedProduct), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listSupervisedProducts(
        contextOf(request),
        request.params.enterpriseId,
        request.query,
      );
      return { ...page, items: page.items.map((i) => presentSupervisedProduct(i.product, i.figures)) };
    },
  );
}
