import type { Messages } from '../index.js';

export const enterprises: Messages['enterprises'] = {
  title: 'Enterprises',
  subtitle: 'Every enterprise on the platform and where its application stands',
  jurisdictionTitle: 'Enterprises of your jurisdiction',
  jurisdictionSubtitle: 'enterprises of your jurisdiction and their qualification status',
  selectPlaceholder: 'Search name or credit code',
  selectLabel: 'Enterprise',
  selectNone: 'No matching enterprise',
  search: 'Search name or credit code',
  allStatuses: 'Any status',
  empty: 'No enterprise has registered yet. Enterprises apply from the login page.',
  emptyJurisdiction: 'No enterprise in your jurisdiction yet.',
  name: 'Enterprise',
  submittedAt: 'Submitted',
  products: 'Products',
  productSearch: 'Search name, brand or GTIN',
  noProducts: 'This enterprise has no products yet.',
  codesActivated: 'Codes activated',
  scans30: 'Queries (30 days)',
};
