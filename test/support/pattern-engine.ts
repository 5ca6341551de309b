import { usePatternEngine } from '../../shared/domain/pattern-engine.js';
import { re2jsPatternEngine } from '../../shared/infrastructure/re2js-pattern-engine.js';

// In-process tests that compile `$regex` filters use the engine the functions install at start.
usePatternEngine(re2jsPatternEngine);
