import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Button, Result } from 'antd';
import { useI18n } from '../i18n/index.js';
import { useMe, type Role } from '../session/session.js';

/** Shows a screen only to the roles the route table lists. */
export function RoleGuard({
  roles,
  children,
}: {
  readonly roles: readonly Role[];
  readonly children: ReactNode;
}): ReactNode {
  const me = useMe();
  const { t } = useI18n();
  if (!roles.includes(me.user.role)) {
    return <Result status="403" title={t('common.forbiddenTitle')} subTitle={t('common.forbiddenText')} />;
  }
  return children;
}

/** An unknown path under /console/. */
export function NotFound(): ReactNode {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={t('common.notFoundTitle')}
      subTitle={t('common.notFoundText')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}
