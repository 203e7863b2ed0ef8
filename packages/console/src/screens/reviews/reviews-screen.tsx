/** The operator's queue: applications waiting for review, oldest submissions first in view. */
import { useState, type ReactNode } from 'react';
import { Input, Space } from 'antd';
import { useI18n } from '../../i18n/index.js';
import { Page } from '../../components/page.js';
import { EnterpriseTable, type EnterpriseQuery } from '../../components/enterprise-table.js';

export default function ReviewsScreen(): ReactNode {
  const { t } = useI18n();
  const [query, setQuery] = useState<EnterpriseQuery>({ page: 1, pageSize: 20, status: 'pending_review' });
  return (
    <Page title={t('reviews.title')} subtitle={t('reviews.subtitle')}>
      <Space style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('enterprises.search')}
          style={{ width: 280 }}
          onSearch={(q) => setQuery({ ...query, page: 1, q: q === '' ? undefined : q })}
        />
      </Space>
      <EnterpriseTable
        query={query}
        onQuery={setQuery}
        empty={t('reviews.empty')}
        action={t('reviews.review')}
        from="reviews"
      />
    </Page>
  );
}
