#include <wildcert/result.hpp>

namespace wildcert {

const char* to_string(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::usage:
        return "usage";
    case ErrorKind::profile:
        return "profile";
    case ErrorKind::acme:
        return "acme";
    case ErrorKind::dns:
        return "dns";
    case ErrorKind::refused:
        return "refused";
    case ErrorKind::provider:
        return "provider";
    case ErrorKind::network:
        return "network";
    case ErrorKind::io:
        return "io";
    case ErrorKind::crypto:
        return "crypto";
    case ErrorKind::timeout:
        return "timeout";
    case ErrorKind::interrupted:
        return "interrupted";
    case ErrorKind::locked:
        return "locked";
    }
    return "unknown";
}

} // namespace wildcert
