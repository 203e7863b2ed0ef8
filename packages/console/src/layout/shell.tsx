/**
 * The logged-in frame: side menu (by role, from the route table), header with the language
 * switch and the user, and the screen. Shows login when nobody is logged in, and only the
 * password change while the account must change its password.
 */
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { Avatar, Dropdown, Layout, Menu, Space, Spin, Tag, Typography, theme } from 'antd';
import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../session/session.js';
import { menuScreens } from '../routes.js';
import { LanguageSwitch } from './language-switch.js';
import { RegionName } from '../components/region-picker.js';
import { BrandLogo } from './brand-logo.js';
import { selectedMenuKey } from './menu-state.js';
import { ScreenBoundary } from './screen-boundary.js';

const { Header, Sider, Content } = Layout;

// The same chunk as the route table's password screen.
const ChangePasswordScreen = lazy(() => import('../screens/change-password/change-password-screen.js'));

export function Shell(): ReactNode {
  const { me, logout } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();

  if (me === undefined) return <Spin fullscreen />;
  if (me === null) {
    const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname)}`;
    return <Navigate to={`/login${next}`} replace />;
  }

  // While the password must be changed, nothing else is offered.
  const items = (me.user.mustChangePassword ? [] : menuScreens(me.user.role)).map((s) => ({
    key: s.path,
    icon: s.menu?.icon,
    label: t(s.menu?.label ?? 'menu.onboarding'),
  }));
  const selected = selectedMenuKey(
    location.pathname,
    location.state,
    items.map((i) => i.key),
  );

  const user = (
    <Dropdown
      menu={{
        items: [
          { key: 'password', icon: <KeyOutlined />, label: t('shell.changePassword') },
          { type: 'divider' },
          { key: 'logout', icon: <LogoutOutlined />, label: t('shell.logout') },
        ],
        onClick: ({ key }) => {
          if (key === 'password') void navigate('/account/password');
          else void logout().then(() => navigate('/login'));
        },
      }}
    >
      <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
        <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
        <span>{me.user.displayName}</span>
        <Tag>{t(`roles.${me.user.role}`)}</Tag>
      </Space>
    </Dropdown>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="xl"
        width={208}
        theme="dark"
      >
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            padding: collapsed ? '0 26px' : '0 18px',
            overflow: 'hidden',
          }}
        >
          <Link to="/" style={{ display: 'inline-flex' }}>
            <BrandLogo collapsed={collapsed} />
          </Link>
        </div>
        {items.length === 0 ? null : (
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected === undefined ? [] : [selected]}
            items={items}
            onClick={({ key }) => void navigate(`/${key}`)}
          />
        )}
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            height: 56,
          }}
        >
          <Typography.Text type="secondary" ellipsis>
            {me.enterprise !== null ? (
              me.enterprise.name
            ) : me.user.jurisdiction !== null ? (
              <>
                {t('shell.jurisdiction')}
                <RegionName code={me.user.jurisdiction} />
              </>
            ) : (
              t('shell.platform')
            )}
          </Typography.Text>
          <Space size="large">
            <LanguageSwitch />
            {user}
          </Space>
        </Header>
        <Content style={{ padding: 24 }}>
          {me.user.mustChangePassword ? (
            <Suspense fallback={<Spin />}>
              <ChangePasswordScreen forced />
            </Suspense>
          ) : (
            <ScreenBoundary>
              <Outlet />
            </ScreenBoundary>
          )}
        </Content>
      </Layout>
    </Layout>
  );
}
