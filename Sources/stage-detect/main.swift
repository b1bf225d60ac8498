// Placeholder until this stage lands; see its issue.
import Common
Log.error("stage-detect is not built yet")
import Glibc
exit(2)
