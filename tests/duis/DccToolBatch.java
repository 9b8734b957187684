// Runs DCC's signing tool (uk.co.smartdcc.boxed.xmldsig, GPL-3.0-or-later, Smart DCC Ltd) on
// several documents in one JVM, through its own entry points `Sign.main_aux` and
// `Validate.main_aux` (what `main` calls before System.exit), so a test pays for one JVM start.
//
//   java -cp tool.jar DccToolBatch.java OP IN OUT [OP IN OUT]...
//
// OP is `sign` (Sign IN --preserveCounter) or `validate` (Validate IN). The tool's standard
// output goes to OUT, its standard error to OUT.err; one line per job on standard output gives
// the tool's exit code (0 ok, 1 environment, 2 application, 3 missing key, 10 validation failed).

import java.io.FileOutputStream;
import java.io.PrintStream;
import uk.co.smartdcc.boxed.xmldsig.ResultCode;
import uk.co.smartdcc.boxed.xmldsig.Sign;
import uk.co.smartdcc.boxed.xmldsig.Validate;

public final class DccToolBatch {
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        for (int i = 0; i + 2 < args.length; i += 3) {
            String op = args[i];
            int code;
            try (PrintStream jobOut = new PrintStream(new FileOutputStream(args[i + 2]), true, "UTF-8");
                 PrintStream jobErr = new PrintStream(new FileOutputStream(args[i + 2] + ".err"), true, "UTF-8")) {
                System.setOut(jobOut);
                System.setErr(jobErr);
                ResultCode result;
                if (op.equals("sign")) {
                    result = Sign.main_aux(new String[] {args[i + 1], "--preserveCounter"});
                } else if (op.equals("validate")) {
                    result = Validate.main_aux(new String[] {args[i + 1]});
                } else {
                    throw new IllegalArgumentException("unknown operation " + op);
                }
                code = result.value();
            } catch (RuntimeException e) {
                code = -1;
                e.printStackTrace(err);
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            out.println(code);
        }
    }
}
