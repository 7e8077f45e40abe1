export { SearchModule } from './search.module.js';
export { SearchService } from './search.service.js';
export { parseSearch, toTsQuery, type ParsedSearch } from './search-query.js';
