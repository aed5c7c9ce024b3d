#include "cli/opened_store.hpp"

#include "cli/report.hpp"

namespace wildcert::cli {

Result<OpenedStore> open_store(const Arguments& arguments) {
    WILDCERT_TRY(const auto state_dir, state_dir_for(arguments));
    WILDCERT_TRY(auto store, CertificateStore::open(state_dir, stderr_log(arguments.verbosity)));
    WILDCERT_TRY(auto certificates, store.certificates());
    return OpenedStore{std::move(store), std::move(certificates)};
}

} // namespace wildcert::cli
