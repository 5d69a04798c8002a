namespace RadMah.Engine.Mock.Vocabulary;

/// <summary>Given names and family names, ASCII so that emails and usernames derive from them cleanly.</summary>
public static class PersonNames
{
    public static readonly string[] First =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
        "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
        "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Steven", "Ashley",
        "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle", "Kevin", "Carol", "Brian", "Amanda",
        "Lucas", "Emma", "Noah", "Olivia", "Liam", "Sophia", "Mateo", "Isabella", "Leon", "Mia",
        "Hugo", "Chloe", "Luca", "Giulia", "Jonas", "Hannah", "Arjun", "Priya", "Kenji", "Yuki",
        "Omar", "Fatima", "Diego", "Camila", "Erik", "Ingrid", "Pierre", "Camille", "Ahmed", "Aisha",
    ];

    public static readonly string[] Last =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Rossi", "Russo", "Ferrari", "Dubois", "Moreau",
        "Laurent", "Bernard", "Jansen", "De Vries", "Andersson", "Johansson", "Nielsen", "Kowalski", "Novak", "Silva",
        "Santos", "Oliveira", "Patel", "Sharma", "Singh", "Tanaka", "Suzuki", "Kim", "Park", "O'Brien",
    ];
}
