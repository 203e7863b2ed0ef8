/**
 * The route table: every screen behind login, who may open it, and its menu entry. The role
 * decides the menu (an entry shows for the roles listed). To add a screen: make a folder under
 * `screens/`, add its messages under `i18n/zh-CN/` and `i18n/en-US/`, and add one line here.
 */
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  FileSearchOutlined,
  KeyOutlined,
  TeamOutlined,
  AuditOutlined,
  BankOutlined,
  DashboardOutlined,
  FundProjectionScreenOutlined,
  InboxOutlined,
  QrcodeOutlined,
  NodeIndexOutlined,
  DeploymentUnitOutlined,
  UnorderedListOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  ScanOutlined,
  ShareAltOutlined,
  ShoppingOutlined,
  HistoryOutlined,
  MobileOutlined,
  WarningOutlined,
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
  readonly menu?: {
    readonly label: MessageKey;
    readonly icon: ReactNode;
    /** Roles for whom the entry comes after their other entries (a regulator's home stays first). */
    readonly last?: readonly Role[];
  };
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
    path: 'dashboard',
    screen: lazy(() => import('./screens/dashboard/dashboard-screen.js')),
    roles: enterprise,
    menu: { label: 'menu.dashboard', icon: <DashboardOutlined /> },
  },
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
    path: 'packing',
    screen: lazy(() => import('./screens/packing/packing-screen.js')),
    roles: enterprise,
    menu: { label: 'menu.packing', icon: <ScanOutlined /> },
  },
  {
    path: 'trace-actions',
    screen: lazy(() => import('./screens/trace-actions/trace-actions-screen.js')),
    roles: enterprise,
    menu: { label: 'menu.traceActions', icon: <DeploymentUnitOutlined /> },
  },
  {
    path: 'trace',
    screen: lazy(() => import('./screens/trace/trace-screen.js')),
    roles: enterprise,
    menu: { label: 'menu.trace', icon: <NodeIndexOutlined /> },
  },
  {
    path: 'events',
    screen: lazy(() => import('./screens/events/events-screen.js')),
    // Regulators read the events enterprises shared with their jurisdiction (adr/0007).
    roles: [...enterprise, 'regulator'],
    menu: { label: 'menu.events', icon: <UnorderedListOutlined />, last: ['regulator'] },
  },
  {
    path: 'event-shares',
    screen: lazy(() => import('./screens/event-shares/event-shares-screen.js')),
    roles: [...enterprise, 'regulator'],
    menu: { label: 'menu.eventShares', icon: <ShareAltOutlined />, last: ['regulator'] },
  },
  {
    path: 'stage-templates',
    screen: lazy(() => import('./screens/stage-templates/stage-templates-screen.js')),
    roles: ['enterprise_admin'],
    menu: { label: 'menu.stageTemplates', icon: <ProfileOutlined /> },
  },
  {
    path: 'scan-settings',
    screen: lazy(() => import('./screens/scan-settings/scan-settings-screen.js')),
    roles: enterprise,
    menu: { label: 'menu.scanSettings', icon: <MobileOutlined /> },
  },
  {
    path: 'scan-log',
    screen: lazy(() => import('./screens/scan-log/scan-log-screen.js')),
    roles: enterprise,
    menu: { label: 'menu.scanLog', icon: <HistoryOutlined /> },
  },
  {
    path: 'counterfeit-reports',
    screen: lazy(() => import('./screens/counterfeit-reports/counterfeit-reports-screen.js')),
    roles: enterprise,
    menu: { label: 'menu.counterfeitReports', icon: <WarningOutlined /> },
  },
  {
    path: 'reviews',
    screen: lazy(() => import('./screens/reviews/reviews-screen.js')),
    roles: ['platform_operator'],
    menu: { label: 'menu.reviews', icon: <AuditOutlined /> },
  },
  {
    // After the operator's review queue (their home), before the list: the regulator's home.
    path: 'supervision',
    screen: lazy(() => import('./screens/supervision/supervision-screen.js')),
    roles: ['platform_operator', 'regulator'],
    menu: { label: 'menu.supervision', icon: <FundProjectionScreenOutlined /> },
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
    path: 'users',
    screen: lazy(() => import('./screens/users/users-screen.js')),
    roles: ['enterprise_admin'],
    menu: { label: 'menu.users', icon: <TeamOutlined /> },
  },
  {
    path: 'api-keys',
    screen: lazy(() => import('./screens/api-keys/api-keys-screen.js')),
    roles: ['enterprise_admin'],
    menu: { label: 'menu.apiKeys', icon: <KeyOutlined /> },
  },
  {
    path: 'webhooks',
    screen: lazy(() => import('./screens/webhooks/webhooks-screen.js')),
    roles: ['enterprise_admin'],
    menu: { label: 'menu.webhooks', icon: <ApiOutlined /> },
  },
  {
    path: 'audit-log',
    screen: lazy(() => import('./screens/audit-log/audit-log-screen.js')),
    roles: ['enterprise_admin', 'platform_operator'],
    menu: { label: 'menu.auditLog', icon: <FileSearchOutlined /> },
  },
  {
    path: 'platform-alerts',
    screen: lazy(() => import('./screens/platform-alerts/platform-alerts-screen.js')),
    roles: ['platform_operator'],
    menu: { label: 'menu.platformAlerts', icon: <AlertOutlined /> },
  },
  {
    path: 'account/password',
    screen: lazy(() => import('./screens/change-password/change-password-screen.js')),
    roles: everyone,
  },
];

/** A role's menu entries: the table's order, those marked `last` for the role after the rest. */
export function menuScreens(role: Role): ScreenRoute[] {
  const mine = screens.filter((s) => s.menu !== undefined && s.roles.includes(role));
  const last = (s: ScreenRoute): boolean => s.menu?.last?.includes(role) === true;
  return [...mine.filter((s) => !last(s)), ...mine.filter(last)];
}

/** The first screen of a role's menu: where `/console/` takes it. */
export function homePath(role: Role): string {
  return menuScreens(role)[0]?.path ?? 'account/password';
}
