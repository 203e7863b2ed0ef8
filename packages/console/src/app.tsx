/**
 * The console's root: language (antd locale and ours), session, router. Public screens (login,
 * registration) stand alone; every other screen is in the shell, by the route table.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, useLocation } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { App as AntApp, ConfigProvider, Spin, theme as antdTheme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { I18nProvider, useI18n } from './i18n/index.js';
import { brandRed, brandTeal } from './layout/brand-logo.js';
import { SessionProvider, useSession } from './session/session.js';
import { homePath, screens } from './routes.js';
import { Shell } from './layout/shell.js';
import { NotFound, RoleGuard } from './layout/guards.js';
import LoginScreen from './screens/login/login-screen.js';

// Registration is rare next to login: its form rules and the region list load with it.
const RegisterScreen = lazy(() => import('./screens/register/register-screen.js'));

/** antd's own tokens, for the tints kept as they are. */
const defaults = antdTheme.getDesignToken();

/**
 * Tracemark's brand colours (labels and console share them), with the text and link colours
 * darkened to WCAG AA contrast (4.5:1) on white and on antd's grey surfaces: antd's secondary and
 * help text (45 % black, 3.4:1), placeholders (25 %), the brand blue as link colour (#468CC8,
 * 3.5:1) and its informational blue (#1677FF on its tint, 3.7:1) do not reach it. Progress bars
 * (codes activated, imports, lots) take the brand colour rather than the informational blue.
 * Status colours (success, warning, error) are darkened the same way, as their text on tags and
 * alerts must be read (the verdicts of the scan log). The brand red is the error colour.
 */
const theme = {
  token: {
    colorPrimary: brandTeal,
    colorLink: '#2F6FA8',
    colorInfo: '#1A5FB4',
    colorSuccess: '#237804',
    colorWarning: '#874D00',
    colorError: brandRed,
    // The tints behind status text stay antd's light ones (derived from the darker colours they
    // would be muddy and the text on them too dark to read).
    colorSuccessBg: defaults.colorSuccessBg,
    colorSuccessBorder: defaults.colorSuccessBorder,
    colorWarningBg: defaults.colorWarningBg,
    colorWarningBorder: defaults.colorWarningBorder,
    colorErrorBg: defaults.colorErrorBg,
    colorErrorBorder: defaults.colorErrorBorder,
    colorInfoBg: defaults.colorInfoBg,
    colorInfoBorder: defaults.colorInfoBorder,
    // The brand teal is dark and grey, and antd's tints of it stop at #99A3A2, on which the teal
    // itself reads at 2.6:1 (a selected menu item, a chosen option): light teal tints instead
    // (the teal on #E6EEEE: 5.7:1).
    colorPrimaryBg: '#E6EEEE',
    colorPrimaryBgHover: '#D5E3E2',
    colorPrimaryBorder: '#A9C5C4',
    colorPrimaryBorderHover: '#86ADAC',
    colorTextSecondary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    borderRadius: 6,
  },
  components: { Progress: { defaultColor: brandTeal } },
};

function Home(): ReactNode {
  const { me } = useSession();
  if (me === undefined || me === null) return null;
  return <Navigate to={`/${homePath(me.user.role)}`} replace />;
}

/** A public screen: logged-in people go to their home instead. */
function Public({ children }: { readonly children: ReactNode }): ReactNode {
  const { me } = useSession();
  const location = useLocation();
  if (me === undefined) return <Spin fullscreen />;
  if (me !== null && location.pathname === '/login') return <Navigate to="/" replace />;
  return children;
}

const router = createBrowserRouter(
  [
    {
      path: '/login',
      element: (
        <Public>
          <LoginScreen />
        </Public>
      ),
    },
    {
      path: '/register',
      element: (
        <Public>
          <Suspense fallback={<Spin fullscreen />}>
            <RegisterScreen />
          </Suspense>
        </Public>
      ),
    },
    {
      path: '/',
      element: <Shell />,
      children: [
        { index: true, element: <Home /> },
        ...screens.map((s) => ({
          path: s.path,
          element: (
            <RoleGuard roles={s.roles}>
              <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
                <s.screen />
              </Suspense>
            </RoleGuard>
          ),
        })),
        { path: '*', element: <NotFound /> },
      ],
    },
  ],
  { basename: '/console' },
);

function Localised(): ReactNode {
  const { language } = useI18n();
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider
      locale={language === 'zh-CN' ? zhCN : enUS}
      theme={theme}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** The whole console. */
export function App(): ReactNode {
  return (
    <I18nProvider>
      <Localised />
    </I18nProvider>
  );
}
