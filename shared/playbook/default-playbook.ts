/**
 * The default playbook: the seed procedure (shared/seed/incident-response-procedures.md) as data.
 *
 * Invariants:
 * - Every line of the seed has a counterpart here, worded as the seed words it
 *   (tests/unit/playbook/completeness.test.ts reads the seed and fails on any line left out).
 * - It parses under playbookSchema unchanged; ids are stable slugs, unique across the whole
 *   checklist (not only per phase), because progress and assignments refer to them.
 * - Where the seed is silent (update cadence, the cadence of automated testing, review titles)
 *   the values are Sitrep's own and say so.
 * - It is deeply frozen: an incident pins a copy, nobody edits the default in place.
 */
import type { ChecklistItem, Playbook } from './schema';
import { PLAYBOOK_FORMAT_VERSION } from './schema';

/** One numbered section of the procedure: [id, title, description] per seed line. */
const section = (name: string, lines: Array<[id: string, title: string, description: string]>): ChecklistItem[] =>
  lines.map(([id, title, description]) => ({ id, section: name, title, description }));

const HOUR = 60;
const DAY = 24 * HOUR;

const playbook: Playbook = {
  format: PLAYBOOK_FORMAT_VERSION,
  id: 'seed-incident-response',
  name: 'Incident Response Procedures',
  version: '1.0.0',
  description:
    'This document outlines the procedures for handling security incidents, system outages, and critical issues in the Emotion Economy application.',

  severities: [
    {
      id: 'P0',
      label: 'Critical',
      colour: '#d32f2f',
      criteria: [
        { title: 'System Down', description: 'Complete application unavailability' },
        { title: 'Data Breach', description: 'Unauthorized access to user data' },
        { title: 'Security Vulnerability', description: 'Active exploitation' },
        { title: 'Payment System Issues', description: 'Billing/payment failures' },
        { title: 'Database Corruption', description: 'Data integrity compromised' },
      ],
      notification: { timing: 'immediate', description: 'Immediately notify primary response team' },
      automatedActions: [
        { id: 'alert-primary-team', title: 'Alert Primary Team', description: 'SMS + Slack + Email' },
        { id: 'enable-enhanced-logging', title: 'Enable Enhanced Logging', description: 'Increase log verbosity' },
        { id: 'scale-resources', title: 'Scale Resources', description: 'Auto-scale based on predefined rules' },
        { id: 'enable-circuit-breakers', title: 'Enable Circuit Breakers', description: 'Prevent cascade failures' },
        { id: 'notify-on-call', title: 'Notify On-Call', description: 'PagerDuty escalation' },
      ],
    },
    {
      id: 'P1',
      label: 'High',
      colour: '#f9a825',
      criteria: [
        { title: 'Partial System Outage', description: 'Major functionality unavailable' },
        { title: 'Performance Degradation', description: '>50% performance drop' },
        { title: 'Data Inconsistency', description: 'User data integrity issues' },
        { title: 'API Failures', description: 'Core API endpoints failing' },
      ],
      notification: { timing: 'immediate', description: 'Immediately notify primary response team' },
      automatedActions: [
        { id: 'alert-technical-team', title: 'Alert Technical Team', description: 'Slack notification' },
        { id: 'increase-monitoring', title: 'Increase Monitoring', description: 'Enhanced metric collection' },
        { id: 'log-analysis', title: 'Log Analysis', description: 'Automated log pattern detection' },
        { id: 'performance-profiling', title: 'Performance Profiling', description: 'Enable performance profiling' },
      ],
    },
    {
      id: 'P2',
      label: 'Medium',
      colour: '#ef6c00',
      criteria: [
        { title: 'Minor Functionality Issues', description: 'Non-critical features broken' },
        { title: 'Performance Issues', description: '<50% performance degradation' },
        { title: 'Monitoring Alerts', description: 'System warnings' },
      ],
      notification: { timing: 'business-hours', description: 'Notify during business hours' },
      automatedActions: [],
    },
    {
      id: 'P3',
      label: 'Low',
      colour: '#1565c0',
      criteria: [
        { title: 'Cosmetic Issues', description: 'UI/UX problems' },
        { title: 'Minor Bugs', description: 'Non-critical functionality issues' },
        { title: 'Documentation Issues', description: 'Outdated docs' },
      ],
      notification: { timing: 'next-business-day', description: 'Log for next business day' },
      automatedActions: [],
    },
  ],

  metrics: [
    { id: 'response-time', title: 'Response times', group: 'Application', unit: 's' },
    { id: 'error-rate', title: 'Error rates', group: 'Application', unit: '%' },
    { id: 'throughput', title: 'Throughput', group: 'Application', unit: 'req/s' },
    { id: 'cpu', title: 'CPU', group: 'Infrastructure', unit: '%' },
    { id: 'memory', title: 'Memory', group: 'Infrastructure', unit: '%' },
    { id: 'disk-usage', title: 'Disk usage', group: 'Infrastructure', unit: '%' },
    { id: 'network', title: 'Network', group: 'Infrastructure', unit: 'Mbit/s' },
    { id: 'db-connections', title: 'Connection count', group: 'Database', unit: 'connections' },
    { id: 'query-performance', title: 'Query performance', group: 'Database', unit: 'ms' },
    { id: 'replication-lag', title: 'Replication lag', group: 'Database', unit: 's' },
    { id: 'external-api-response-time', title: 'API response times', group: 'External Services', unit: 's' },
    { id: 'third-party-health', title: 'Third-party service health', group: 'External Services', unit: '%' },
    { id: 'failed-logins', title: 'Failed login attempts', group: 'Security', unit: 'attempts/min' },
    { id: 'suspicious-activity', title: 'Suspicious activities', group: 'Security', unit: 'events/min' },
  ],

  alertThresholds: [
    { severity: 'P0', rules: [], conditions: ['System unavailable', 'Data breach detected'] },
    {
      severity: 'P1',
      rules: [
        { metric: 'error-rate', comparator: '>', value: 5, unit: '%' },
        { metric: 'response-time', comparator: '>', value: 10, unit: 's' },
      ],
      conditions: ['Database connection issues'],
    },
    {
      severity: 'P2',
      rules: [
        { metric: 'error-rate', comparator: '>', value: 1, unit: '%' },
        { metric: 'response-time', comparator: '>', value: 5, unit: 's' },
      ],
      conditions: ['High resource usage'],
    },
    {
      severity: 'P3',
      rules: [
        { metric: 'error-rate', comparator: '>', value: 0.1, unit: '%' },
        { metric: 'response-time', comparator: '>', value: 2, unit: 's' },
      ],
      conditions: ['Minor issues'],
    },
  ],

  roles: [
    { id: 'incident-commander', title: 'Lead', holderTitle: 'Engineering Manager', team: 'primary', commander: true },
    { id: 'technical-lead', title: 'Technical Lead', holderTitle: 'Senior Backend Engineer', team: 'primary', commander: false },
    { id: 'security-lead', title: 'Security Lead', holderTitle: 'Security Engineer', team: 'primary', commander: false },
    { id: 'devops', title: 'DevOps', holderTitle: 'Infrastructure Engineer', team: 'primary', commander: false },
    { id: 'communications', title: 'Communications', holderTitle: 'Product Manager', team: 'primary', commander: false },
    { id: 'database', title: 'Database', holderTitle: 'DBA Team', team: 'secondary', commander: false },
    { id: 'frontend', title: 'Frontend', holderTitle: 'Frontend Team Lead', team: 'secondary', commander: false },
    { id: 'qa', title: 'QA', holderTitle: 'Quality Assurance Lead', team: 'secondary', commander: false },
    {
      id: 'legal',
      title: 'Legal',
      holderTitle: 'Legal Counsel',
      team: 'secondary',
      commander: false,
      note: 'for security incidents',
    },
  ],

  phases: [
    {
      id: 'detection',
      title: 'Detection & Assessment',
      window: { startMinutes: 0, endMinutes: 15 },
      checklist: [
        ...section('1.1 Incident Detection', [
          ['automated-monitoring', 'Automated Monitoring', 'Health checks trigger alerts'],
          ['user-reports', 'User Reports', 'Customer support tickets'],
          ['team-reports', 'Team Reports', 'Internal team notifications'],
          ['external-monitoring', 'External Monitoring', 'Third-party monitoring services'],
        ]),
        ...section('1.2 Initial Assessment', [
          ['check-system-status', 'Check current system status', ''],
          ['check-database-connectivity', 'Check database connectivity', ''],
          ['check-error-logs', 'Check error logs', ''],
          ['check-performance-metrics', 'Check performance metrics', ''],
        ]),
        ...section('1.3 Incident Declaration', [
          ['declare-p0-p1', 'P0/P1', 'Immediately notify primary response team'],
          ['declare-p2', 'P2', 'Notify during business hours'],
          ['declare-p3', 'P3', 'Log for next business day'],
        ]),
      ],
      commands: [{ section: '1.2 Initial Assessment', command: 'curl -s https://api.emotion-economy.com/health | jq .' }],
    },
    {
      id: 'containment',
      title: 'Containment',
      window: { startMinutes: 15, endMinutes: 60 },
      checklist: [
        ...section('2.1 Isolate the Issue', [
          ['disconnect-affected-systems', 'Security Incidents', 'Disconnect affected systems'],
          ['scale-up-resources', 'Performance Issues', 'Scale up resources'],
          ['create-database-backups', 'Data Issues', 'Create database backups'],
          ['implement-circuit-breakers', 'API Issues', 'Implement circuit breakers'],
        ]),
        ...section('2.2 Temporary Mitigations', [
          ['enable-maintenance-mode', 'Enable maintenance mode', 'if needed'],
          ['implement-rate-limiting', 'Implement rate limiting', 'for affected endpoints'],
          ['scale-resources', 'Scale resources', 'horizontally/vertically'],
          ['cache-static-responses', 'Cache static responses', 'for critical endpoints'],
        ]),
        ...section('2.3 Communication', [
          ['update-incident-channel', 'Internal', 'Update incident response channel'],
          ['post-status-page-update', 'External', 'Post status page update (if public incident)'],
          ['notify-stakeholders', 'Stakeholders', 'Notify key stakeholders'],
        ]),
      ],
      commands: [],
    },
    {
      id: 'investigation',
      title: 'Investigation',
      window: { startMinutes: 1 * HOUR, endMinutes: 4 * HOUR },
      checklist: [
        ...section('3.1 Root Cause Analysis', [
          ['collect-logs', 'Collect logs', ''],
          ['check-metrics', 'Check metrics', ''],
          ['database-queries', 'Database queries', ''],
        ]),
        ...section('3.2 Impact Assessment', [
          ['user-impact', 'User Impact', 'Number of affected users'],
          ['data-impact', 'Data Impact', 'What data was compromised/affected'],
          ['business-impact', 'Business Impact', 'Revenue/financial impact'],
          ['compliance-impact', 'Compliance Impact', 'GDPR/HIPAA violations'],
        ]),
        ...section('3.3 Evidence Collection', [
          ['log-preservation', 'Log Preservation', 'Secure all relevant logs'],
          ['screenshot-documentation', 'Screenshot/Documentation', 'Record system state'],
          ['timeline-creation', 'Timeline Creation', 'Document incident timeline'],
        ]),
      ],
      commands: [
        { section: '3.1 Root Cause Analysis', command: 'kubectl logs -f deployment/api-server --since=1h' },
        { section: '3.1 Root Cause Analysis', command: 'kubectl top pods' },
        { section: '3.1 Root Cause Analysis', command: 'kubectl describe pod <affected-pod>' },
        {
          section: '3.1 Root Cause Analysis',
          command: "SELECT * FROM audit_logs WHERE created_at > NOW() - INTERVAL '1 hour'",
        },
      ],
    },
    {
      id: 'recovery',
      title: 'Recovery',
      window: { startMinutes: 1 * HOUR, endMinutes: 24 * HOUR },
      checklist: [
        ...section('4.1 Fix Implementation', [
          ['code-fixes', 'Code Fixes', 'Deploy hotfixes if safe'],
          ['configuration-changes', 'Configuration Changes', 'Update system configuration'],
          ['database-recovery', 'Database Recovery', 'Restore from backups if needed'],
          ['infrastructure-changes', 'Infrastructure Changes', 'Update infrastructure as code'],
        ]),
        ...section('4.2 Testing', [
          ['unit-tests', 'Unit Tests', "Verify fixes don't break existing functionality"],
          ['integration-tests', 'Integration Tests', 'Test system integration'],
          ['load-tests', 'Load Tests', 'Verify performance under load'],
          ['user-acceptance', 'User Acceptance', 'Test with real user scenarios'],
        ]),
        ...section('4.3 Deployment', [
          ['staged-rollout', 'Staged Rollout', 'Deploy to staging first'],
          ['canary-deployment', 'Canary Deployment', 'Gradual production rollout'],
          ['rollback-plan', 'Rollback Plan', 'Prepare rollback procedures'],
          ['deployment-monitoring', 'Monitoring', 'Enhanced monitoring during deployment'],
        ]),
      ],
      commands: [],
    },
    {
      id: 'post-incident',
      title: 'Post-Incident',
      window: { startMinutes: 1 * DAY, endMinutes: 7 * DAY },
      checklist: [
        ...section('5.1 Incident Review', [
          ['timeline-review', 'Timeline Review', 'Complete incident timeline'],
          ['root-cause', 'Root Cause', 'Final root cause determination'],
          ['lessons-learned', 'Lessons Learned', 'Document lessons learned'],
          ['process-improvements', 'Process Improvements', 'Identify process improvements'],
        ]),
        ...section('5.2 Communication', [
          ['internal-post-mortem', 'Internal Post-mortem', 'Share findings with all teams'],
          ['customer-communication', 'Customer Communication', 'Notify affected customers'],
          ['status-page', 'Status Page', 'Update public status page'],
          ['follow-up', 'Follow-up', 'Provide regular updates'],
        ]),
        ...section('5.3 Prevention', [
          ['monitoring-improvements', 'Monitoring Improvements', 'Enhance monitoring'],
          ['process-updates', 'Process Updates', 'Update incident response procedures'],
          ['security-improvements', 'Security Improvements', 'Implement additional security measures'],
          ['testing-improvements', 'Testing Improvements', 'Enhance testing procedures'],
        ]),
      ],
      commands: [],
    },
  ],

  communicationTemplates: [
    {
      id: 'internal-notification',
      title: 'Internal Incident Notification',
      audience: 'internal',
      body: [
        '🚨 INCIDENT DECLARED 🚨',
        '',
        'Priority: {{severity}}',
        'Title: {{title}}',
        'Time: {{detected-at}}',
        'Affected: {{affected}}',
        'Status: {{phase}}',
        '',
        'Next Update: {{next-update-at}}',
      ].join('\n'),
      placeholders: [
        { key: 'severity', label: 'Priority', source: 'severity', original: '[P0/P1/P2/P3]' },
        { key: 'title', label: 'Title', source: 'title', original: '[Brief description]' },
        { key: 'detected-at', label: 'Time of detection', source: 'detectedAt', original: '[Time of detection]' },
        { key: 'affected', label: 'Systems/users affected', source: 'affected', original: '[Systems/users affected]' },
        { key: 'phase', label: 'Status', source: 'phase', original: '[Investigation/Containment/Recovery]' },
        { key: 'next-update-at', label: 'Next update', source: 'nextUpdateAt', original: '[Time]' },
      ],
    },
    {
      id: 'customer-update',
      title: 'Customer Communication',
      audience: 'external',
      subject: 'Emotion Economy Service Update',
      body: [
        'Dear valued user,',
        '',
        "We're currently experiencing {{summary}}.",
        'Our team is working to resolve this as quickly as possible.',
        '',
        'Current Status: {{status}}',
        'Estimated Resolution: {{estimated-resolution}}',
        '',
        'We apologize for any inconvenience this may cause.',
        'For updates, please check our status page: {{status-page-url}}',
        '',
        'Best regards,',
        'Emotion Economy Team',
      ].join('\n'),
      placeholders: [
        { key: 'summary', label: 'Brief description of issue', source: 'summary', original: '[brief description of issue]' },
        { key: 'status', label: 'Current status', source: 'status', original: '[Investigating/Resolved]' },
        { key: 'estimated-resolution', label: 'Estimated resolution', source: 'manual', original: '[Time estimate]' },
        { key: 'status-page-url', label: 'Status page URL', source: 'manual', original: '[status page URL]' },
      ],
    },
  ],

  recoveryObjectives: [
    { id: 'authentication', system: 'Authentication', critical: true, rtoMinutes: 1 * HOUR, rpoMinutes: 1 * HOUR },
    { id: 'database', system: 'Database', critical: true, rtoMinutes: 4 * HOUR, rpoMinutes: 1 * HOUR },
    { id: 'api-services', system: 'API Services', critical: true, rtoMinutes: 2 * HOUR, rpoMinutes: null },
    { id: 'user-data', system: 'User Data', critical: true, rtoMinutes: 24 * HOUR, rpoMinutes: 1 * HOUR },
    { id: 'analytics', system: 'Analytics', critical: false, rtoMinutes: 24 * HOUR, rpoMinutes: 24 * HOUR },
    { id: 'background-jobs', system: 'Background Jobs', critical: false, rtoMinutes: 48 * HOUR, rpoMinutes: null },
    { id: 'caching', system: 'Caching', critical: false, rtoMinutes: 1 * HOUR, rpoMinutes: null },
  ],

  breach: {
    regulatoryDeadlineMinutes: 72 * HOUR,
    steps: [
      { id: 'immediate-containment', title: 'Immediate Containment', description: 'Isolate affected systems' },
      { id: 'evidence-preservation', title: 'Evidence Preservation', description: 'Secure all logs and data' },
      { id: 'legal-notification', title: 'Legal Notification', description: 'Notify legal counsel immediately' },
      {
        id: 'regulatory-reporting',
        title: 'Regulatory Reporting',
        description: 'Report to relevant authorities within 72 hours',
      },
      { id: 'user-notification', title: 'User Notification', description: 'Notify affected users within required timeframe' },
    ],
    hipaa: [
      { id: 'data-classification', title: 'Data Classification', description: 'Identify PHI/PII affected' },
      { id: 'access-logging', title: 'Access Logging', description: 'Document all access to sensitive data' },
      { id: 'encryption', title: 'Encryption', description: 'Ensure data encryption at rest and in transit' },
      { id: 'audit-trail', title: 'Audit Trail', description: 'Maintain complete audit trail' },
    ],
  },

  validation: [
    {
      id: 'detection-time',
      title: 'Incident detected within 5 minutes',
      start: 'impactStarted',
      end: 'detected',
      limit: { kind: 'duration', minutes: 5 },
      severities: ['P0', 'P1', 'P2', 'P3'],
    },
    {
      id: 'team-notification',
      title: 'Primary team notified within 10 minutes',
      start: 'detected',
      end: 'teamNotified',
      limit: { kind: 'duration', minutes: 10 },
      severities: ['P0', 'P1', 'P2', 'P3'],
    },
    {
      id: 'root-cause-identified',
      title: 'Root cause identified within 1 hour (P0/P1)',
      start: 'detected',
      end: 'rootCauseIdentified',
      limit: { kind: 'duration', minutes: 1 * HOUR },
      severities: ['P0', 'P1'],
    },
    {
      id: 'first-communication',
      title: 'Communication sent within 30 minutes',
      start: 'detected',
      end: 'firstCommunicationSent',
      limit: { kind: 'duration', minutes: 30 },
      severities: ['P0', 'P1', 'P2', 'P3'],
    },
    {
      id: 'recovered-within-rto',
      title: 'System recovered within RTO',
      start: 'impactStarted',
      end: 'mitigated',
      limit: { kind: 'tightest-rto' },
      severities: ['P0', 'P1', 'P2', 'P3'],
    },
    {
      id: 'post-mortem-completed',
      title: 'Post-mortem completed within 7 days',
      start: 'resolved',
      end: 'postMortemDone',
      limit: { kind: 'duration', minutes: 7 * DAY },
      severities: ['P0', 'P1', 'P2', 'P3'],
    },
  ],

  trackedMetrics: [
    { id: 'mttd', title: 'MTTD', description: 'Mean Time to Detect' },
    { id: 'mtta', title: 'MTTA', description: 'Mean Time to Acknowledge' },
    { id: 'mttr', title: 'MTTR', description: 'Mean Time to Resolve' },
    { id: 'post-incident-reviews', title: 'Post-Incident Reviews', description: 'Quality of post-mortem process' },
    { id: 'process-improvements', title: 'Process Improvements', description: 'Number of process improvements implemented' },
  ],

  updateCadence: {
    source: 'Sitrep default (the seed gives no update cadence)',
    minutes: { P0: 30, P1: 1 * HOUR, P2: 4 * HOUR, P3: 1 * DAY },
  },

  resources: [
    { id: 'communication', group: 'Incident Response Tools', title: 'Communication', description: 'Slack, Microsoft Teams' },
    { id: 'alerting', group: 'Incident Response Tools', title: 'Alerting', description: 'PagerDuty, Opsgenie' },
    { id: 'monitoring', group: 'Incident Response Tools', title: 'Monitoring', description: 'DataDog, New Relic, Grafana' },
    { id: 'logging', group: 'Incident Response Tools', title: 'Logging', description: 'ELK Stack, CloudWatch' },
    { id: 'collaboration', group: 'Incident Response Tools', title: 'Collaboration', description: 'Google Docs, Notion' },
    { id: 'runbooks', group: 'Documentation Resources', title: 'Runbooks', description: 'Detailed system documentation' },
    { id: 'playbooks', group: 'Documentation Resources', title: 'Playbooks', description: 'Specific incident response playbooks' },
    { id: 'contact-lists', group: 'Documentation Resources', title: 'Contact Lists', description: 'Team contact information' },
    { id: 'vendor-contacts', group: 'Documentation Resources', title: 'Vendor Contacts', description: 'Third-party service contacts' },
  ],

  practices: [
    // Testing & Validation: Incident Response Testing.
    { id: 'quarterly-drills', cadence: 'Quarterly', title: 'Quarterly Drills', description: 'Full incident response simulation' },
    { id: 'monthly-tests', cadence: 'Monthly', title: 'Monthly Tests', description: 'Individual component testing' },
    { id: 'weekly-reviews', cadence: 'Weekly', title: 'Weekly Reviews', description: 'Incident response procedure reviews' },
    // The seed names no cadence for automated testing; "Continuous" is ours.
    { id: 'automated-testing', cadence: 'Continuous', title: 'Automated Testing', description: 'Chaos engineering experiments' },
    // Continuous Improvement: Regular Reviews (the seed names them only by cadence; the titles are ours).
    { id: 'monthly-review', cadence: 'Monthly', title: 'Monthly review', description: 'Incident metrics and trends' },
    { id: 'quarterly-review', cadence: 'Quarterly', title: 'Quarterly review', description: 'Incident response procedure updates' },
    { id: 'annual-audit', cadence: 'Annually', title: 'Annual audit', description: 'Full incident response program audit' },
  ],
};

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

export const DEFAULT_PLAYBOOK: Playbook = deepFreeze(playbook);
