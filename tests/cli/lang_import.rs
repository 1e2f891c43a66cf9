//! Issue 16 item 9: `import --lang ko` says its report and why a file cannot be read in Korean
//! (file:line:column, ids and names stay as they are); `audit --lang ko` says its paths' hops
//! and `reach --expect … --lang ko` its offending cells in Korean. English is unchanged.

use std::process::{Command, Output};

fn vpcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A template in a folder of its own (removed when the test ends).
struct Template(std::path::PathBuf);

impl Template {
    fn new(name: &str, text: &str) -> Template {
        let dir = std::env::temp_dir().join(format!("vpcraft-lang-import-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let path = dir.join(name);
        std::fs::write(&path, text).expect("written");
        Template(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 path")
    }
}

impl Drop for Template {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

const FARGATE: &str = "Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  IGW:
    Type: AWS::EC2::InternetGateway
  ECSRole:
    Type: AWS::IAM::Role
  ECSTaskExecutionRole:
    Type: AWS::IAM::Role
";

const NEEDS_PARAM: &str = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  vpccidr:
    Type: String
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref vpccidr
";

#[test]
fn import_report_in_korean() {
    let t = Template::new("fargate.yaml", FARGATE);
    let ko = stderr(&vpcraft(&["import", t.path(), "-o", "-", "--lang", "ko"]));
    for want in [
        &format!("{} 가져오기\n", t.path()),
        "  가져온 것: VPC 1개, 인터넷 게이트웨이 1개,",
        "  경고 2개:\n",
        "    AWS::IAM::Role: vpcraft가 다루는 네트워크 리소스가 아닙니다: ECSRole, ECSTaskExecutionRole 건너뜀\n",
        "    AWS::Region: 템플릿에 리전이 없습니다: us-east-1(으)로 가정했습니다 (--region으로 지정하세요)\n",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    let en = stderr(&vpcraft(&["import", t.path(), "-o", "-"]));
    assert!(en.starts_with(&format!("import of {}\n  imported: 1 VPC, 1 internet gateway,", t.path())), "{en}");
    assert!(
        en.ends_with("    AWS::Region: a template does not say its region: us-east-1 assumed (give --region)\n"),
        "{en}"
    );
    assert!(en.contains("  2 warnings:\n    AWS::IAM::Role: not a network resource vpcraft models: skipped ECSRole, ECSTaskExecutionRole\n"), "{en}");
}

#[test]
fn a_file_that_cannot_be_read_says_why_in_korean() {
    let t = Template::new("3tier.yaml", NEEDS_PARAM);
    let p = t.path();
    let o = vpcraft(&["import", p, "-o", "-", "--lang", "ko"]);
    assert_eq!(o.status.code(), Some(2));
    let ko = stderr(&o);
    assert_eq!(
        ko,
        format!(
            "vpcraft: {p}:3:3: 파라미터 `vpccidr`(String)에 값이 없습니다: 템플릿에 Default가 없고 \
             재정의도 주어지지 않았습니다 (--param vpccidr=VALUE를 쓰세요)\n"
        )
    );
    let en = stderr(&vpcraft(&["check", p]));
    assert!(
        en.ends_with(
            "has no value: the template gives no Default and no override was passed (use --param vpccidr=VALUE)\n"
        ),
        "{en}"
    );
    // `check` says it in Korean too.
    assert!(stderr(&vpcraft(&["check", p, "--lang", "ko"])).contains("파라미터 `vpccidr`(String)에 값이 없습니다"));
}

#[test]
fn audit_paths_in_korean() {
    let o = vpcraft(&["audit", "example:endpoint-lab", "--lang", "ko"]);
    let ko = String::from_utf8_lossy(&o.stdout);
    assert!(ko.contains(" → 인터넷 게이트웨이 jhIGW (igw-0001) → 네트워크 ACL jhVPC-default (acl-0001) → "), "{ko}");
    assert!(ko.contains(" → 인스턴스 jhPublicEC2 (i-0001)\n"), "{ko}");
    assert!(!ko.contains("internet-gateway"), "{ko}");
    let o = vpcraft(&["audit", "example:endpoint-lab"]);
    let en = String::from_utf8_lossy(&o.stdout);
    assert!(
        en.contains("    path: internet internet host (198.51.100.10) → internet-gateway jhIGW (igw-0001) → "),
        "{en}"
    );
}

#[test]
fn reach_expect_lists_its_cells_in_korean() {
    let o = vpcraft(&["reach", "example:endpoint-lab", "--expect", "delivered", "--lang", "ko"]);
    assert_eq!(o.status.code(), Some(1));
    let ko = stderr(&o);
    assert!(ko.starts_with("vpcraft: 모든 셀이 전달되어야 하는데 2개는 아닙니다:\n  "), "{ko}");
    assert!(ko.contains("에서 차단됨 "), "{ko}");
    assert!(!ko.contains("dropped"), "{ko}");
    let o = vpcraft(&["reach", "example:endpoint-lab", "--expect", "delivered"]);
    let en = stderr(&o);
    assert!(en.starts_with("vpcraft: expected every cell delivered, but 2 are not:\n  "), "{en}");
    assert!(en.contains(": dropped "), "{en}");
}
