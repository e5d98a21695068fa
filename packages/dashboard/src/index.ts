export const DASHBOARD_PACKAGE = '@nucleon/dashboard';
