import { describeAccessWalk } from './access.suite.js';

describeAccessWalk('SQLite');
