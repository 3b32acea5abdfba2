/**
 * The playbook module's front door: the schema, the seed procedure as the default playbook, and the
 * parser that turns a custom playbook file into a Playbook or every reason it is not one.
 */
export * from './schema';
export * from './default-playbook';
export * from './parse-playbook';
