import { usePatternEngine } from '../../shared/domain/pattern-engine.js';
import { re2PatternEngine } from '../../shared/infrastructure/re2-pattern-engine.js';

// In-process tests that compile `$regex` filters use the engine the functions install at start.
usePatternEngine(re2PatternEngine);
