/**
 * The console's root: language (antd locale and ours), session, router. Public screens (login,
 * registration) stand alone; every other screen is in the shell, by the route table.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, useLocation } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { I18nProvider, useI18n } from './i18n/index.js';
import { SessionProvider, useSession } from './session/session.js';
import { homePath, screens } from './routes.js';
import { Shell } from './layout/shell.js';
import { NotFound, RoleGuard } from './layout/guards.js';
import LoginScreen from './screens/login/login-screen.js';

// Registration is rare next to login: its form rules and the region list load with it.
const RegisterScreen = lazy(() => import('./screens/register/register-screen.js'));

/**
 * Tracemark's brand colours (labels and console share them). Progress bars (codes activated,
 * imports, lots) take the brand colour rather than antd's informational blue.
 */
const theme = {
  token: { colorPrimary: '#316464', colorLink: '#468CC8', borderRadius: 6 },
  components: { Progress: { defaultColor: '#316464' } },
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
