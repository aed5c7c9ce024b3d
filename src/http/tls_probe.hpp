#pragma once
// What certificate a TLS endpoint serves: a handshake with SNI and no trust decision (the
// caller compares the leaf with the one it expects), then the connection is closed. For
// deploy verification and `wildcert probe`.

#include <wildcert/result.hpp>

#include <chrono>
#include <string>

namespace wildcert::http {

// The DER of the leaf `address` ("host:port") presents for `server_name` (SNI; "" sends
// none). ErrorKind::network naming the address when the connection or handshake fails or
// the deadline passes.
[[nodiscard]] Result<std::string> served_leaf_der(const std::string& address,
                                                  const std::string& server_name,
                                                  std::chrono::steady_clock::time_point deadline);

} // namespace wildcert::http
