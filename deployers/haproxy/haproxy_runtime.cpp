#include "deployers/haproxy/haproxy_runtime.hpp"

#include "common/printable.hpp"

namespace wildcert::deployers::haproxy {
namespace {

// HAProxy's answers to these commands are a line or two; `show ssl cert` one line per
// certificate. Anything larger is not HAProxy.
constexpr std::size_t k_max_answer_bytes = 256 * 1024;

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// What an answer that is not success means, in words that say what to change.
std::string explain(std::string_view answer, const std::string& socket, const std::string& crt) {
    if (contains(answer, "Permission denied"))
        return "HAProxy at " + socket +
               " refused the command: the socket needs `level admin` (stats socket ... level "
               "admin)";
    if (contains(answer, "not referenced") || contains(answer, "nknown") ||
        contains(answer, "not found") || contains(answer, "doesn't exist"))
        return "HAProxy at " + socket + " has no certificate loaded from " + crt +
               " (crt must be the path of a `bind ... crt`; `show ssl cert` lists them): " +
               first_line(answer);
    return "HAProxy at " + socket + " answered: " + first_line(answer);
}

} // namespace

std::string first_line(std::string_view answer) {
    while (!answer.empty() && (answer.front() == '\n' || answer.front() == ' '))
        answer.remove_prefix(1);
    const auto end = answer.find('\n');
    auto line = answer.substr(0, end == std::string_view::npos ? answer.size() : end);
    if (line.size() > 300)
        line = line.substr(0, 300);
    return line.empty() ? std::string("(nothing)") : common::printable(line);
}

Result<std::string> Runtime::exchange(std::string_view command, std::string_view payload) {
    WILDCERT_TRY(auto socket, common::StreamSocket::connect(m_socket, m_deadline));
    std::string request(command);
    request += '\n';
    WILDCERT_CHECK(socket.write_all(request, m_deadline));
    if (!payload.empty()) {
        WILDCERT_CHECK(socket.write_all(payload, m_deadline));
        // The empty line that ends the payload.
        WILDCERT_CHECK(socket.write_all("\n", m_deadline));
    }
    socket.shutdown_write();
    return socket.read_to_end(k_max_answer_bytes, m_deadline);
}

Result<void> Runtime::set_certificate(const std::string& crt, std::string_view pem) {
    WILDCERT_TRY(const auto answer, exchange("set ssl cert " + crt + " <<", pem));
    if (contains(answer, "Transaction created") || contains(answer, "Transaction updated"))
        return {};
    return make_error(ErrorKind::network, explain(answer, m_socket, crt));
}

Result<void> Runtime::commit(const std::string& crt) {
    WILDCERT_TRY(const auto answer, exchange("commit ssl cert " + crt, ""));
    if (contains(answer, "Success!"))
        return {};
    return make_error(ErrorKind::network, explain(answer, m_socket, crt));
}

void Runtime::abort(const std::string& crt) {
    (void)exchange("abort ssl cert " + crt, "");
}

Result<std::string> Runtime::loaded_certificates() {
    WILDCERT_TRY(auto answer, exchange("show ssl cert", ""));
    if (contains(answer, "Permission denied"))
        return make_error(ErrorKind::network, explain(answer, m_socket, ""));
    // HAProxy 2.6 lists under a "# filename" header; below level admin it answers "Can't
    // allocate memory!" instead (checked), so anything else is taken as a refusal.
    if (!contains(answer, "# filename"))
        return make_error(ErrorKind::network,
                          "HAProxy at " + m_socket +
                              " did not list its certificates (`show ssl "
                              "cert` answered: " +
                              first_line(answer) +
                              "); the socket needs `level admin` (stats socket ... level admin)");
    return answer;
}

} // namespace wildcert::deployers::haproxy
