#include "mock_acme.hpp"

#include "crypto/base64.hpp"
#include "crypto/private_key.hpp"
#include "json/json.hpp"

#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs10.h>
#include <botan/x509_ca.h>
#include <botan/x509self.h>

#include <httplib.h>

#include <set>

namespace wildcert::mock_acme {
namespace {

constexpr std::string_view k_error_prefix = "urn:ietf:params:acme:error:";

struct Authz {
    std::string identifier;
    bool wildcard = false;
    bool answered = false;
    int polls_after_answer = 0;
    std::string token;
};

struct Order {
    std::vector<std::string> identifiers;
    std::vector<int> authzs;
    bool finalized = false;
    int polls_after_finalize = 0;
    std::string certificate_pem;
    std::string profile;
    std::string replaces;
};

struct Verified {
    std::string payload;
    std::string account; // account URL ("" for a jwk-signed newAccount)
    std::string jwk_x, jwk_y;
};

std::string quote(std::string_view text) {
    return json::quote(text);
}

std::string to_string(const std::vector<std::uint8_t>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

// A fault chosen when the request arrived, applied to the answer the handler wrote. httplib
// runs pre-routing, the handler and post-routing of one request on one thread.
thread_local std::optional<FaultKind> t_answer_fault;

bool changes_answer(FaultKind kind) {
    return kind == FaultKind::malformed_json || kind == FaultKind::wrong_content_type ||
           kind == FaultKind::truncated_chain;
}

// Headers promise a body that never comes: the client sees the connection close mid-answer.
void drop(httplib::Response& res) {
    res.status = 200;
    res.set_content_provider(1000, "application/json",
                             [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
}

void change_answer(FaultKind kind, httplib::Response& res) {
    const auto body = res.body;
    res.headers.erase("Content-Length");
    switch (kind) {
    case FaultKind::malformed_json:
        res.set_content(body.substr(0, body.size() / 2), "application/json");
        break;
    case FaultKind::wrong_content_type:
        res.status = 200;
        res.set_content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
        break;
    case FaultKind::truncated_chain: {
        // Cut inside the second certificate's base64, after its BEGIN line.
        const auto second = body.find("-----BEGIN", 1);
        const auto cut = second == std::string::npos ? body.size() / 2 : second + 80;
        res.set_content(body.substr(0, std::min(cut, body.size())),
                        "application/pem-certificate-chain");
        break;
    }
    default:
        break;
    }
    // httplib counted the handler's body already: count the new one.
    res.set_header("Content-Length", std::to_string(res.body.size()));
}

} // namespace

struct MockAcme::State {
    Script script;
    httplib::Server server;
    int port = 0;

    mutable std::mutex mutex;
    std::vector<RecordedRequest> requests;
    std::vector<IssuedRecord> issued;
    int jws_rejections = 0;
    std::vector<int> fault_matches;  // per Script::faults entry
    std::vector<int> faults_applied; // per Script::faults entry
    std::set<std::string> nonces;
    std::uint64_t next_nonce = 1;
    std::map<std::string, std::pair<std::string, std::string>> accounts; // url -> (x, y)
    std::map<int, Order> orders;
    std::map<int, Authz> authzs;
    int next_id = 1;
    std::uint64_t next_serial = 0x87654321; // high bit set: the CertID needs the sign byte

    Botan::AutoSeeded_RNG rng;
    std::unique_ptr<Botan::ECDSA_PrivateKey> ca_key;
    std::unique_ptr<Botan::X509_Certificate> ca_cert;

    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port) + path;
    }

    std::string new_nonce() {
        auto nonce = crypto::base64url_encode("nonce-" + std::to_string(next_nonce++));
        nonces.insert(nonce);
        return nonce;
    }

    void problem(httplib::Response& res, const ScriptedProblem& p) {
        std::string body = "{\"type\":" + quote(std::string(k_error_prefix) + p.type) +
                           ",\"detail\":" + quote(p.detail) +
                           ",\"status\":" + std::to_string(p.status);
        if (!p.extra_json.empty())
            body += "," + p.extra_json;
        body += "}";
        res.status = p.status;
        if (!p.retry_after.empty())
            res.set_header("Retry-After", p.retry_after);
        for (const auto& link : p.links)
            res.set_header("Link", link);
        res.set_content(body, "application/problem+json");
    }

    // The fault for this request, if any, counting it against the matching entry.
    std::optional<Fault> fault_for(const httplib::Request& req) {
        fault_matches.resize(script.faults.size());
        faults_applied.resize(script.faults.size());
        for (std::size_t i = 0; i < script.faults.size(); ++i) {
            const auto& fault = script.faults[i];
            if (req.method != fault.method || req.path.rfind(fault.path_prefix, 0) != 0)
                continue;
            const int number = ++fault_matches[i];
            const bool hit =
                number >= fault.first && (fault.count < 0 || number < fault.first + fault.count);
            if (!hit)
                return std::nullopt;
            ++faults_applied[i];
            return fault;
        }
        return std::nullopt;
    }

    void reject_jws(httplib::Response& res, const std::string& type, const std::string& why) {
        ++jws_rejections;
        problem(res, simple_problem(400, type, why));
    }

    // RFC 8555 §6.2-§6.5: flattened JWS, ES256, fresh nonce, url equal to the request URL,
    // jwk only for newAccount, kid of a known account otherwise, valid signature.
    std::optional<Verified> verify(const httplib::Request& req, httplib::Response& res,
                                   bool jwk_allowed) {
        if (req.get_header_value("Content-Type") != "application/jose+json") {
            reject_jws(res, "malformed", "Content-Type must be application/jose+json");
            return std::nullopt;
        }
        auto document = json::Document::parse(req.body);
        if (!document.ok() || !document->root().is_object()) {
            reject_jws(res, "malformed", "body is not a JWS object");
            return std::nullopt;
        }
        const auto root = document->root();
        const auto protected_b64 = root.string_member("protected").value_or("");
        const auto payload_b64 = root.string_member("payload");
        const auto signature =
            crypto::base64url_decode(root.string_member("signature").value_or(""));
        const auto header_bytes = crypto::base64url_decode(protected_b64);
        const auto payload_bytes = crypto::base64url_decode(payload_b64.value_or(""));
        if (!payload_b64 || !signature.ok() || !header_bytes.ok() || !payload_bytes.ok()) {
            reject_jws(res, "malformed", "JWS members missing or not base64url");
            return std::nullopt;
        }
        auto header = json::Document::parse(to_string(*header_bytes));
        if (!header.ok() || !header->root().is_object()) {
            reject_jws(res, "malformed", "protected header is not JSON");
            return std::nullopt;
        }
        const auto h = header->root();
        if (h.string_member("alg").value_or("") != "ES256") {
            reject_jws(res, "badSignatureAlgorithm", "only ES256 here");
            return std::nullopt;
        }
        const auto nonce = h.string_member("nonce").value_or("");
        if (nonces.erase(nonce) == 0) {
            reject_jws(res, "badNonce", "unknown or used nonce");
            return std::nullopt;
        }
        if (h.string_member("url").value_or("") != url(req.target)) {
            reject_jws(res, "malformed", "url header is not the request URL");
            return std::nullopt;
        }
        Verified verified;
        const auto jwk = h.member("jwk");
        const auto kid = h.string_member("kid");
        if (jwk && !kid && jwk_allowed) {
            verified.jwk_x = jwk->string_member("x").value_or("");
            verified.jwk_y = jwk->string_member("y").value_or("");
        } else if (kid && !jwk && accounts.contains(*kid)) {
            verified.account = *kid;
            std::tie(verified.jwk_x, verified.jwk_y) = accounts[*kid];
        } else {
            reject_jws(res, jwk_allowed ? "malformed" : "accountDoesNotExist",
                       "need exactly one of jwk (newAccount) or a known kid");
            return std::nullopt;
        }
        const auto ok =
            crypto::verify_ec_signature(KeyType::ec_p256, verified.jwk_x, verified.jwk_y,
                                        protected_b64 + "." + *payload_b64, *signature);
        if (!ok.ok() || !*ok) {
            reject_jws(res, "malformed", "JWS signature does not verify");
            return std::nullopt;
        }
        verified.payload = to_string(*payload_bytes);
        return verified;
    }

    void record(const httplib::Request& req, const std::string& payload) {
        requests.push_back({req.method, req.target, payload, std::chrono::steady_clock::now()});
    }

    std::string authz_status(const Authz& a) const {
        if (!a.answered || a.polls_after_answer <= script.authz_pending_polls)
            return "pending";
        return script.authz_final;
    }

    std::string order_status(const Order& o) const {
        if (o.finalized) {
            if (o.polls_after_finalize <= script.order_processing_polls)
                return "processing";
            return script.order_final;
        }
        bool all_valid = true;
        for (const int id : o.authzs) {
            const auto status = authz_status(authzs.at(id));
            if (status == "invalid")
                return "invalid";
            all_valid = all_valid && status == "valid";
        }
        return all_valid ? "ready" : "pending";
    }

    std::string order_json(int id) const {
        const auto& o = orders.at(id);
        const auto status = order_status(o);
        std::string body = "{\"status\":" + quote(status) + ",\"expires\":\"2099-01-01T00:00:00Z\"";
        body += ",\"identifiers\":[";
        for (std::size_t i = 0; i < o.identifiers.size(); ++i)
            body += std::string(i ? "," : "") +
                    "{\"type\":\"dns\",\"value\":" + quote(o.identifiers[i]) + "}";
        body += "],\"authorizations\":[";
        for (std::size_t i = 0; i < o.authzs.size(); ++i)
            body += std::string(i ? "," : "") + quote(url("/authz/" + std::to_string(o.authzs[i])));
        body += "],\"finalize\":" + quote(url("/finalize/" + std::to_string(id)));
        if (!o.profile.empty())
            body += ",\"profile\":" + quote(o.profile);
        if (!o.replaces.empty())
            body += ",\"replaces\":" + quote(o.replaces);
        if (status == "valid")
            body += ",\"certificate\":" + quote(url("/cert/" + std::to_string(id)));
        if (status != "valid" && status != "processing" && status != "ready" &&
            status != "pending" && !script.order_error_json.empty())
            body += ",\"error\":" + script.order_error_json;
        return body + "}";
    }

    std::string authz_json(int id) const {
        const auto& a = authzs.at(id);
        const auto status = authz_status(a);
        std::string challenge_status = status;
        if (a.answered && status == "pending")
            challenge_status = "processing"; // RFC 8555 §7.1.6
        std::string body = "{\"status\":" + quote(status) +
                           ",\"expires\":\"2099-01-01T00:00:00Z\",\"identifier\":{\"type\":\"dns\","
                           "\"value\":" +
                           quote(a.identifier) + "}";
        if (a.wildcard)
            body += ",\"wildcard\":true";
        body += ",\"challenges\":[{\"type\":\"dns-01\",\"url\":" +
                quote(url("/chall/" + std::to_string(id))) + ",\"token\":" + quote(a.token) +
                ",\"status\":" + quote(challenge_status);
        if (status == "invalid" && !script.authz_error_json.empty())
            body += ",\"error\":" + script.authz_error_json;
        return body + "}]}";
    }

    Result<std::string> issue(const std::string& csr_b64url, IssuedRecord& record) {
        WILDCERT_TRY(const auto der, crypto::base64url_decode(csr_b64url));
        try {
            Botan::DataSource_Memory source(der.data(), der.size());
            const Botan::PKCS10_Request csr(source);
            const auto now = std::chrono::system_clock::now();
            const Botan::X509_CA ca(*ca_cert, *ca_key, "SHA-256", rng);
            const auto serial = next_serial++;
            const auto leaf = ca.sign_request(csr, rng, Botan::BigInt(serial),
                                              Botan::X509_Time(now - std::chrono::hours(1)),
                                              Botan::X509_Time(now + std::chrono::hours(24 * 90)));
            record.authority_key_id = ca_cert->subject_key_id();
            record.serial = serial;
            std::string chain = leaf.PEM_encode() + ca_cert->PEM_encode();
            const auto ca_pem = ca_cert->PEM_encode();
            for (int i = 0; i < script.chain_padding; ++i)
                chain += ca_pem;
            return chain;
        } catch (const std::exception& e) {
            return make_error(ErrorKind::crypto, std::string("mock CA: ") + e.what());
        }
    }
};

MockAcme::MockAcme(Script script) : m_state(std::make_unique<State>()) {
    m_state->script = std::move(script);
}

MockAcme::~MockAcme() {
    m_state->server.stop();
    if (m_thread.joinable())
        m_thread.join();
}

std::string MockAcme::base_url() const {
    return m_state->url("");
}

std::string MockAcme::directory_url() const {
    return m_state->url("/dir");
}

std::vector<RecordedRequest> MockAcme::requests() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->requests;
}

std::vector<RecordedRequest> MockAcme::requests_to(const std::string& path_prefix) const {
    std::vector<RecordedRequest> out;
    for (auto& r : requests()) {
        if (r.path.rfind(path_prefix, 0) == 0)
            out.push_back(std::move(r));
    }
    return out;
}

std::vector<IssuedRecord> MockAcme::issued() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->issued;
}

int MockAcme::fault_matches(std::size_t index) const {
    std::lock_guard lock(m_state->mutex);
    return index < m_state->fault_matches.size() ? m_state->fault_matches[index] : 0;
}

int MockAcme::faults_applied(std::size_t index) const {
    std::lock_guard lock(m_state->mutex);
    return index < m_state->faults_applied.size() ? m_state->faults_applied[index] : 0;
}

int MockAcme::jws_rejections() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->jws_rejections;
}

Result<void> MockAcme::start() {
    auto& s = *m_state;
    try {
        const Botan::EC_Group group("secp256r1");
        s.ca_key = std::make_unique<Botan::ECDSA_PrivateKey>(s.rng, group);
        Botan::X509_Cert_Options options("Mock ACME Root");
        options.CA_key();
        s.ca_cert = std::make_unique<Botan::X509_Certificate>(
            Botan::X509::create_self_signed_cert(options, *s.ca_key, "SHA-256", s.rng));
    } catch (const std::exception& e) {
        return make_error(ErrorKind::crypto, std::string("mock CA: ") + e.what());
    }

    auto& server = s.server;
    server.set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
        t_answer_fault.reset();
        std::optional<Fault> fault;
        {
            std::lock_guard lock(s.mutex);
            fault = s.fault_for(req);
        }
        if (!fault)
            return httplib::Server::HandlerResponse::Unhandled;
        switch (fault->kind) {
        case FaultKind::status_500:
            s.problem(res, simple_problem(500, "serverInternal", "injected fault"));
            break;
        case FaultKind::status_503:
            s.problem(res, simple_problem(503, "serverInternal", "injected overload"));
            break;
        case FaultKind::status_503_retry_after: {
            auto problem = simple_problem(503, "serverInternal", "injected overload");
            problem.retry_after = fault->retry_after;
            s.problem(res, problem);
            break;
        }
        case FaultKind::drop_connection:
            drop(res);
            break;
        case FaultKind::stall:
            // Outside the lock: the client's retry arrives while this one still sleeps.
            std::this_thread::sleep_for(fault->stall);
            drop(res);
            break;
        default:
            t_answer_fault = fault->kind;
            return httplib::Server::HandlerResponse::Unhandled;
        }
        // The request body was never read: the connection cannot carry another request.
        res.set_header("Connection", "close");
        return httplib::Server::HandlerResponse::Handled;
    });
    server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
        if (t_answer_fault && changes_answer(*t_answer_fault))
            change_answer(*t_answer_fault, res);
        t_answer_fault.reset();
    });
    server.Get("/dir", [&s](const httplib::Request&, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        std::string body = "{\"newNonce\":" + quote(s.url("/nonce")) +
                           ",\"newAccount\":" + quote(s.url("/new-account")) +
                           ",\"newOrder\":" + quote(s.url("/new-order")) +
                           ",\"revokeCert\":" + quote(s.url("/revoke")) +
                           ",\"keyChange\":" + quote(s.url("/key-change"));
        if (s.script.renewal_info)
            body += ",\"renewalInfo\":" + quote(s.url("/renewal-info"));
        body += ",\"meta\":{";
        std::string meta;
        if (!s.script.terms_of_service.empty())
            meta += "\"termsOfService\":" + quote(s.script.terms_of_service);
        if (!s.script.profiles.empty()) {
            meta += std::string(meta.empty() ? "" : ",") + "\"profiles\":{";
            bool first = true;
            for (const auto& [name, description] : s.script.profiles) {
                meta += std::string(first ? "" : ",") + quote(name) + ":" + quote(description);
                first = false;
            }
            meta += "}";
        }
        body += meta + "}}";
        res.set_content(body, "application/json");
    });
    auto nonce = [&s](const httplib::Request&, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        res.set_header("Replay-Nonce", s.new_nonce());
        res.set_header("Cache-Control", "no-store");
        res.status = 200;
    };
    server.Get("/nonce", nonce);
    server.Options("/nonce", nonce);
    // httplib answers HEAD through the GET handler.

    server.Post("/new-account", [&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        res.set_header("Replay-Nonce", s.new_nonce());
        const auto v = s.verify(req, res, true);
        if (!v)
            return;
        s.record(req, v->payload);
        for (const auto& [url, key] : s.accounts) {
            if (key == std::make_pair(v->jwk_x, v->jwk_y)) {
                res.set_header("Location", url);
                res.set_content(R"({"status":"valid"})", "application/json");
                return;
            }
        }
        if (v->payload.find("onlyReturnExisting") != std::string::npos) {
            s.problem(res, simple_problem(400, "accountDoesNotExist", "no account"));
            return;
        }
        const auto url = s.url("/account/" + std::to_string(s.next_id++));
        s.accounts[url] = {v->jwk_x, v->jwk_y};
        res.status = 201;
        res.set_header("Location", url);
        res.set_content(R"({"status":"valid"})", "application/json");
    });

    server.Post("/new-order", [&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        res.set_header("Replay-Nonce", s.new_nonce());
        const auto v = s.verify(req, res, false);
        if (!v)
            return;
        s.record(req, v->payload);
        if (!s.script.new_order_refusals.empty()) {
            const auto refusal = s.script.new_order_refusals.front();
            s.script.new_order_refusals.erase(s.script.new_order_refusals.begin());
            s.problem(res, refusal);
            return;
        }
        auto document = json::Document::parse(v->payload);
        if (!document.ok()) {
            s.problem(res, simple_problem(400, "malformed", "payload"));
            return;
        }
        Order order;
        order.profile = document->root().string_member("profile").value_or("");
        order.replaces = document->root().string_member("replaces").value_or("");
        if (!order.replaces.empty() && s.script.already_replaced) {
            s.problem(res,
                      simple_problem(409, "alreadyReplaced",
                                     "certificate " + order.replaces + " was already replaced"));
            return;
        }
        if (!order.profile.empty() && !s.script.profiles.contains(order.profile)) {
            s.problem(res, simple_problem(400, "invalidProfile",
                                          "profile " + order.profile + " is not offered"));
            return;
        }
        for (const auto& identifier : document->root().array_member("identifiers")) {
            auto value = identifier.string_member("value").value_or("");
            Authz authz;
            authz.wildcard = value.rfind("*.", 0) == 0;
            authz.identifier = authz.wildcard ? value.substr(2) : value;
            if (!s.script.authz_identifier.empty())
                authz.identifier = s.script.authz_identifier;
            authz.token = crypto::base64url_encode("token-" + std::to_string(s.next_id));
            const int id = s.next_id++;
            s.authzs[id] = authz;
            order.authzs.push_back(id);
            order.identifiers.push_back(std::move(value));
        }
        for (int i = 0; i < s.script.extra_authorizations && !order.identifiers.empty(); ++i) {
            const auto& first = order.identifiers.front();
            Authz authz;
            authz.identifier = "n" + std::to_string(i) + "." +
                               (first.rfind("*.", 0) == 0 ? first.substr(2) : first);
            authz.token = crypto::base64url_encode("token-" + std::to_string(s.next_id));
            const int extra = s.next_id++;
            s.authzs[extra] = authz;
            order.authzs.push_back(extra);
        }
        const int id = s.next_id++;
        s.orders[id] = std::move(order);
        res.status = 201;
        res.set_header("Location", s.url("/order/" + std::to_string(id)));
        res.set_content(s.order_json(id), "application/json");
    });

    server.Post(R"(/order/(\d+))", [&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        res.set_header("Replay-Nonce", s.new_nonce());
        const auto v = s.verify(req, res, false);
        if (!v)
            return;
        s.record(req, v->payload);
        const int id = std::stoi(req.matches[1]);
        auto& order = s.orders.at(id);
        if (order.finalized)
            ++order.polls_after_finalize;
        if (s.order_status(order) == "processing" && !s.script.order_retry_after.empty())
            res.set_header("Retry-After", s.script.order_retry_after);
        res.set_content(s.order_json(id), "application/json");
    });

    server.Post(R"(/authz/(\d+))", [&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        res.set_header("Replay-Nonce", s.new_nonce());
        const auto v = s.verify(req, res, false);
        if (!v)
            return;
        s.record(req, v->payload);
        const int id = std::stoi(req.matches[1]);
        auto& authz = s.authzs.at(id);
        if (authz.answered)
            ++authz.polls_after_answer;
        if (s.authz_status(authz) == "pending" && authz.answered &&
            !s.script.authz_retry_after.empty())
            res.set_header("Retry-After", s.script.authz_retry_after);
        res.set_content(s.authz_json(id), "application/json");
    });

    server.Post(R"(/chall/(\d+))", [&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        res.set_header("Replay-Nonce", s.new_nonce());
        const auto v = s.verify(req, res, false);
        if (!v)
            return;
        s.record(req, v->payload);
        const int id = std::stoi(req.matches[1]);
        auto& authz = s.authzs.at(id);
        if (v->payload == "{}")
            authz.answered = true;
        res.set_header("Link", "<" + s.url("/authz/" + std::to_string(id)) + ">;rel=\"up\"");
        res.set_content("{\"type\":\"dns-01\",\"status\":\"processing\",\"url\":" +
                            quote(s.url(req.target)) + ",\"token\":" + quote(authz.token) + "}",
                        "application/json");
    });

    server.Post(R"(/finalize/(\d+))", [&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        res.set_header("Replay-Nonce", s.new_nonce());
        const auto v = s.verify(req, res, false);
        if (!v)
            return;
        s.record(req, v->payload);
        const int id = std::stoi(req.matches[1]);
        auto& order = s.orders.at(id);
        if (s.order_status(order) != "ready") {
            s.problem(res, simple_problem(403, "orderNotReady", "not ready"));
            return;
        }
        auto document = json::Document::parse(v->payload);
        const auto csr = document.ok() ? document->root().string_member("csr") : std::nullopt;
        IssuedRecord issued;
        auto pem = s.issue(csr.value_or(""), issued);
        if (!pem.ok()) {
            s.problem(res, simple_problem(400, "badCSR", pem.error().message));
            return;
        }
        s.issued.push_back(issued);
        order.certificate_pem = *pem;
        order.finalized = true;
        if (s.order_status(order) == "processing" && !s.script.order_retry_after.empty())
            res.set_header("Retry-After", s.script.order_retry_after);
        res.set_header("Location", s.url("/order/" + std::to_string(id)));
        res.set_content(s.order_json(id), "application/json");
    });

    server.Post(R"(/cert/(\d+))", [&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        res.set_header("Replay-Nonce", s.new_nonce());
        const auto v = s.verify(req, res, false);
        if (!v)
            return;
        s.record(req, v->payload);
        res.set_content(s.orders.at(std::stoi(req.matches[1])).certificate_pem,
                        "application/pem-certificate-chain");
    });

    server.Get(R"(/renewal-info/(.+))", [&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        s.record(req, "");
        res.status = s.script.renewal_info_status;
        if (!s.script.renewal_info_retry_after.empty())
            res.set_header("Retry-After", s.script.renewal_info_retry_after);
        res.set_content(s.script.renewal_info_body, "application/json");
    });
    // RFC 9773 §4.1: renewalInfo is a plain GET; a POST here is a client bug.
    server.Post(R"(/renewal-info/(.+))", [&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        s.record(req, "");
        s.problem(res, simple_problem(405, "malformed", "renewalInfo is GET only"));
    });

    s.port = server.bind_to_any_port("127.0.0.1");
    if (s.port <= 0)
        return make_error(ErrorKind::network, "mock ACME: cannot bind 127.0.0.1");
    m_thread = std::thread([&server] { server.listen_after_bind(); });
    while (!server.is_running())
        std::this_thread::yield();
    return {};
}

} // namespace wildcert::mock_acme
