/**
 * The route table: every screen behind login, who may open it, and its menu entry. The role
 * decides the menu (an entry shows for the roles listed). To add a screen: make a folder under
 * `screens/`, add its messages under `i18n/zh-CN/` and `i18n/en-US/`, and add one line here.
 */
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  InboxOutlined,
  QrcodeOutlined,
  SafetyCertificateOutlined,
  ShoppingOutlined,
} from '@ant-design/icons';
import type { MessageKey } from './i18n/index.js';
import type { Role } from './session/session.js';

/** One screen of the logged-in console. */
export interface ScreenRoute {
  /** Path under `/console/` (react-router syntax, e.g. `products` or `enterprises/:enterpriseId`). */
  readonly path: string;
  /** The screen, loaded when first opened (one chunk per screen). */
  readonly screen: LazyExoticComponent<ComponentType>;
  /** Who may open it; the server still checks every call. */
  readonly roles: readonly Role[];
  /** Its entry in the side menu; screens reached from another screen have none. */
  readonly menu?: { readonly label: MessageKey; readonly icon: ReactNode };
}

const enterprise: readonly Role[] = ['enterprise_admin', 'enterprise_operator'];
const everyone: readonly Role[] = [
  'platform_operator',
  'enterprise_admin',
  'enterprise_operator',
  'distributor_user',
  'regulator',
];

/** Every screen behind login, in menu order. */
export const screens: readonly ScreenRoute[] = [
  {
    path: 'onboarding',
    screen: lazy(() => import('./screens/onboarding/onboarding-screen.js')),
    roles: enterprise,
    menu: { label: 'menu.onboarding', icon: <SafetyCertificateOutlined /> },
  },
  {
    path: 'products',
    screen: lazy(() => import('./screens/products/products-screen.js')),
    roles: [...enterprise, 'distributor_user'],
    menu: { label: 'menu.products', icon: <ShoppingOutlined /> },
  },
  {
    path: 'batches',
    screen: lazy(() => import('./screens/batches/batches-screen.js')),
    roles: enterprise,
    menu: { label: 'menu.batches', icon: <InboxOutlined /> },
  },
  {
    path: 'codes',
    screen: lazy(() => import('./screens/codes/codes-screen.js')),
    roles: enterprise,
    menu: { label: 'menu.codes', icon: <QrcodeOutlined /> },
  },
  {
    path: 'reviews',
    screen: lazy(() => import('./screens/reviews/reviews-screen.js')),
    roles: ['platform_operator'],
    menu: { label: 'menu.reviews', icon: <AuditOutlined /> },
  },
  {
    path: 'enterprises',
    screen: lazy(() => import('./screens/enterprises/enterprises-screen.js')),
    roles: ['platform_operator', 'regulator'],
    menu: { label: 'menu.enterprises', icon: <BankOutlined /> },
  },
  {
    path: 'enterprises/:enterpriseId',
    screen: lazy(() => import('./screens/enterprise-detail/enterprise-detail-screen.js')),
    roles: ['platform_operator', 'regulator'],
  },
  {
    path: 'regulators',
    screen: lazy(() => import('./screens/regulators/regulators-screen.js')),
    roles: ['platform_operator'],
    menu: { label: 'menu.regulators', icon: <ApartmentOutlined /> },
  },
  {
    path: 'account/password',
    screen: lazy(() => import('./screens/change-password/change-password-screen.js')),
    roles: everyone,
  },
];

/** The first screen of a role's menu: where `/console/` takes it. */
export function homePath(role: Role): string {
  return screens.find((s) => s.menu !== undefined && s.roles.includes(role))?.path ?? 'account/password';
}
