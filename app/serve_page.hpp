// serve_page.hpp — the page `nmt serve` shows at GET /: app/page/index.html, its bytes
// compiled into the binary (app/page/embed_file.cmake writes them into a generated source).
#pragma once

#include <string_view>

namespace nmt {

std::string_view serve_page();

}  // namespace nmt
