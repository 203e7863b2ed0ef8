export const enterprises = {
  title: '企业管理',
  subtitle: '平台上所有企业及其入驻状态',
  jurisdictionTitle: '辖区企业',
  jurisdictionSubtitle: '辖区内的企业及其资质状态',
  search: '搜索企业名称或信用代码',
  allStatuses: '全部状态',
  empty: '还没有企业入驻。企业可在登录页点击“申请入驻”注册。',
  emptyJurisdiction: '辖区内还没有企业。',
  name: '企业名称',
  submittedAt: '提交时间',
};
