#pragma once

#include "acme/acme_client.hpp"
#include "config/wipe_secrets.hpp"
#include "core/acme_session.hpp"
#include "core/progress_log.hpp"
#include "crypto/private_key.hpp"
#include "dns/discovery.hpp"
#include "http/http_client.hpp"
#include "store/journal.hpp"
#include "store/state_dir.hpp"

#include <wildcert/client.hpp>
#include <wildcert/dns_provider.hpp>

#include <memory>
#include <mutex>
#include <optional>

namespace wildcert {

struct Client::State {
    Profile profile;
    ClientOptions options;
    store::StateDir state_dir;
    std::shared_ptr<DnsProvider> provider; // the profile's, or ClientOptions::provider
    store::CleanupJournal journal;
    dns::Discovery discovery;
    core::AcmeSession session; // connection, nonces, account key (acme_session.hpp)
    core::ProgressLog log;

    // The profile's secrets do not outlive the client (wipe_secrets.hpp).
    ~State() { config::wipe_profile_secrets(profile); }

    void info(const std::string& line) const { log.info(line); }
    void debug(const std::string& line) const { log.debug(line); }
    void status(const std::string& line) const { log.status(line); }
};

} // namespace wildcert
