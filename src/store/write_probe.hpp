#pragma once
// For `wildcert check`: may this process write where a run writes? Found out by trying, not by
// reading mode bits: root, ACLs, a read-only mount (systemd ProtectSystem=, a container volume)
// and an immutable folder all decide differently from what the bits say.

#include "store/folder.hpp"

#include <string_view>

namespace wildcert::store {

// 0 when a file can be created in `folder`, else the errno that creating one gave. The file is
// unnamed (O_TMPFILE) and closed at once, so nothing ever appears in the folder, even when the
// process is killed. Where the file system has no O_TMPFILE, a temporary of the store's usual
// form ("write-probe.tmp-<pid>-<hex>") is created and removed again.
[[nodiscard]] int probe_folder_write(const Folder& folder);

// 0 when the existing regular file `name` in `folder` can be opened for appending (nothing is
// written, so its content and times stay) or when it does not exist; else the errno.
[[nodiscard]] int probe_file_write(const Folder& folder, std::string_view name);

} // namespace wildcert::store
