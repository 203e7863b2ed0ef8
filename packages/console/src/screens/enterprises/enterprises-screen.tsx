/** Enterprises: every one for the operator, those of the jurisdiction for a regulator, by status. */
import { useState, type ReactNode } from 'react';
import { Input, Select, Space } from 'antd';
import { useI18n } from '../../i18n/index.js';
import { useMe } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { RegionName } from '../../components/region-picker.js';
import { EnterpriseTable, type EnterpriseQuery } from '../../components/enterprise-table.js';

const statuses = ['draft', 'pending_review', 'approved', 'rejected', 'suspended'] as const;

export default function EnterprisesScreen(): ReactNode {
  const { t } = useI18n();
  const me = useMe();
  const [query, setQuery] = useState<EnterpriseQuery>({ page: 1, pageSize: 20 });
  const regulator = me.user.role === 'regulator';
  return (
    <Page
      title={regulator ? t('enterprises.jurisdictionTitle') : t('enterprises.title')}
      subtitle={
        regulator ? (
          <>
            <RegionName code={me.user.jurisdiction} /> · {t('enterprises.jurisdictionSubtitle')}
          </>
        ) : (
          t('enterprises.subtitle')
        )
      }
    >
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('enterprises.search')}
          style={{ width: 280 }}
          onSearch={(q) => setQuery({ ...query, page: 1, q: q === '' ? undefined : q })}
        />
        <Select
          allowClear
          aria-label={t('common.status')}
          placeholder={t('enterprises.allStatuses')}
          style={{ width: 180 }}
          value={query.status}
          onChange={(status) => setQuery({ ...query, page: 1, status })}
          options={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
      </Space>
      <EnterpriseTable
        query={query}
        onQuery={setQuery}
        empty={regulator ? t('enterprises.emptyJurisdiction') : t('enterprises.empty')}
        action={t('common.view')}
      />
    </Page>
  );
}
