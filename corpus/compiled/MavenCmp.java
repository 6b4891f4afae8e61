import java.io.*;
import org.apache.maven.artifact.versioning.ComparableVersion;
public class MavenCmp {
  public static void main(String[] a) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(System.in));
    String l;
    while ((l = r.readLine()) != null) {
      String[] p = l.split("\t");
      int c = new ComparableVersion(p[0]).compareTo(new ComparableVersion(p[1]));
      System.out.println(p[0] + "\t" + p[1] + "\t" + Integer.signum(c));
    }
  }
}
