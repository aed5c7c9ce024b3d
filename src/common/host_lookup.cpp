#include "common/host_lookup.hpp"

#include "common/printable.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace wildcert::common {
namespace {

struct AddrinfoDeleter {
    void operator()(addrinfo* info) const { freeaddrinfo(info); }
};

std::string numeric_address(const addrinfo& info) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* address = nullptr;
    if (info.ai_family == AF_INET)
        address = &reinterpret_cast<const sockaddr_in*>(info.ai_addr)->sin_addr;
    else if (info.ai_family == AF_INET6)
        address = &reinterpret_cast<const sockaddr_in6*>(info.ai_addr)->sin6_addr;
    if (address == nullptr || inet_ntop(info.ai_family, address, text, sizeof text) == nullptr)
        return {};
    return text;
}

// What getaddrinfo said, in a form the waiting caller can take once the lookup is done.
HostLookup ask_resolver(const std::string& host) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM; // one entry per address, not one per socket type
    addrinfo* raw = nullptr;
    const int status = ::getaddrinfo(host.c_str(), nullptr, &hints, &raw);
    const std::unique_ptr<addrinfo, AddrinfoDeleter> list(raw);
    HostLookup lookup;
    if (status != 0) {
        const bool missing = status == EAI_NONAME
#ifdef EAI_NODATA
                             || status == EAI_NODATA
#endif
            ;
        lookup.outcome = missing ? HostLookup::Outcome::no_such_name : HostLookup::Outcome::failed;
        lookup.reason = status == EAI_SYSTEM ? "system error" : gai_strerror(status);
        return lookup;
    }
    for (const addrinfo* info = list.get(); info != nullptr; info = info->ai_next) {
        auto address = numeric_address(*info);
        if (!address.empty() && std::find(lookup.addresses.begin(), lookup.addresses.end(),
                                          address) == lookup.addresses.end())
            lookup.addresses.push_back(std::move(address));
    }
    if (lookup.addresses.empty()) {
        lookup.outcome = HostLookup::Outcome::no_such_name;
        lookup.reason = "no IPv4 or IPv6 address";
        return lookup;
    }
    lookup.outcome = HostLookup::Outcome::found;
    return lookup;
}

// Shared by the caller and the lookup thread; whichever lets go last frees it.
struct PendingLookup {
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    HostLookup result;
};

std::string format_limit(std::chrono::milliseconds limit) {
    if (limit.count() % 1000 == 0)
        return std::to_string(limit.count() / 1000) + "s";
    return std::to_string(limit.count()) + "ms";
}

} // namespace

bool is_ip_literal(const std::string& host) {
    in_addr v4{};
    in6_addr v6{};
    return inet_pton(AF_INET, host.c_str(), &v4) == 1 ||
           inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

HostLookup lookup_host(const std::string& host, std::chrono::milliseconds limit) {
    if (is_ip_literal(host))
        return {HostLookup::Outcome::found, {host}, {}};
    auto pending = std::make_shared<PendingLookup>();
    try {
        std::thread([pending, host] {
            auto result = ask_resolver(host);
            std::lock_guard lock(pending->mutex);
            pending->result = std::move(result);
            pending->done = true;
            pending->finished.notify_all();
        }).detach();
    } catch (const std::system_error& error) {
        return {HostLookup::Outcome::failed,
                {},
                std::string("cannot start the lookup: ") + error.what()};
    }
    std::unique_lock lock(pending->mutex);
    if (!pending->finished.wait_for(lock, limit, [&] { return pending->done; }))
        return {HostLookup::Outcome::timed_out, {}, {}};
    return std::move(pending->result);
}

std::string describe_lookup_failure(const std::string& host, const HostLookup& lookup,
                                    std::chrono::milliseconds limit) {
    const auto name = "host name \"" + printable(host) + "\"";
    switch (lookup.outcome) {
    case HostLookup::Outcome::found:
        return {};
    case HostLookup::Outcome::timed_out:
        return "no answer for " + name + " within " + format_limit(limit) +
               " from the system resolver (see /etc/resolv.conf)";
    case HostLookup::Outcome::no_such_name:
    case HostLookup::Outcome::failed:
        break;
    }
    return "cannot resolve " + name + ": " + lookup.reason;
}

} // namespace wildcert::common
